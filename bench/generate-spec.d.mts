/** A plausible large spec of at least `minBytes` characters (see generate-spec.mjs). */
export function generateSpec(minBytes: number): string;
