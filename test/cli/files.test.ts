import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FILE_LIMITS, FileReadError, readLimited } from '../../src/cli/files';
import { formatMemory } from '../../src/language/run-memory';

const dir = mkdtempSync(join(tmpdir(), 'convlens-files-'));

function readError(path: string, limit?: number): string {
  try {
    readLimited(path, 'spec', limit);
  } catch (error) {
    expect(error).toBeInstanceOf(FileReadError);
    return (error as Error).message;
  }
  throw new Error(`${path} was read`);
}

describe('readLimited', () => {
  it('reads a regular file whole, up to exactly the limit', () => {
    const file = join(dir, 'ten.cnn');
    writeFileSync(file, '0123456789');
    expect(new TextDecoder().decode(readLimited(file, 'spec', 10))).toBe('0123456789');
    expect(readError(file, 9)).toBe('the file is 10 bytes; a model spec is at most 9 bytes');
  });

  it('refuses a character device instead of reading it forever (/dev/zero has size 0)', () => {
    expect(readError('/dev/zero')).toBe('not a regular file (a character device)');
  });

  it('refuses a directory and a FIFO without opening it', () => {
    expect(readError(dir)).toBe('not a regular file (a directory)');
    const fifo = join(dir, 'pipe');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return;
    expect(readError(fifo)).toBe('not a regular file (a FIFO)');
  });

  it('stops one byte past the limit when the size it was told is wrong (procfs says 0)', () => {
    if (!existsSync('/proc/self/maps')) return;
    expect(readLimited('/proc/self/status', 'spec').length).toBeGreaterThan(0);
    expect(readError('/proc/self/maps', 16)).toBe('the file is more than 16 bytes; a model spec is at most 16 bytes');
  });

  it('names a missing file plainly', () => {
    expect(readError(join(dir, 'nope.cnn'))).toBe('no such file');
  });

  it('has limits a user would accept', () => {
    expect(formatMemory(FILE_LIMITS.spec)).toBe('8 MiB');
    expect(formatMemory(FILE_LIMITS.weights)).toBe('2 GiB');
    expect(formatMemory(FILE_LIMITS.image)).toBe('64 MiB');
    expect(formatMemory(1536)).toBe('1.5 KiB');
    expect(formatMemory(300)).toBe('300 bytes');
  });
});
