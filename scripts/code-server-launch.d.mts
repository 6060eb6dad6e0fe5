export function makePassword(random?: (size: number) => Buffer): string;
export function codeServerArgs(options: { port: number; userDataDir: string; extensionsDir: string; workspace: string }): string[];
export function codeServerEnv(base: Record<string, string | undefined>, password: string): Record<string, string | undefined>;
