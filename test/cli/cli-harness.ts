/** Runs the CLI in-process, capturing what it prints: shared by the CLI tests. */
import { join } from 'node:path';
import { main, type Io } from '../../src/cli/main';

export const ROOT = join(__dirname, '../..');
export const sample = (name: string) => join(ROOT, 'samples', name);

export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += t), err: (t) => (err += t) };
  const code = await main(argv, io);
  return { code, out, err };
}
