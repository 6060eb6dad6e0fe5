/**
 * Reading the CLI's input files with a byte limit. `stat().size` cannot be
 * trusted for that: it is 0 for a device (`/dev/zero`), a FIFO or a procfs
 * file. So only regular files are read, and they are read in chunks that stop
 * one byte past the limit, whatever their size said.
 */
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { formatMemory } from '../language/run-memory';

const MiB = 1024 * 1024;

/** The most the CLI reads of each kind of file (docs/limits.md lists them). */
export const FILE_LIMITS = {
  /** A `.cnn` spec: the largest sample is 6 KB, the benchmark's generated spec 1.1 MB. */
  spec: 8 * MiB,
  /** A PNG or JPEG input (its pixels are limited separately, see `MAX_IMAGE_PIXELS`). */
  image: 64 * MiB,
  /** A `.safetensors` file: VGG-16 in float32 is 528 MB. */
  weights: 2048 * MiB,
  /** A `--labels` file. */
  labels: 16 * MiB,
} as const;

export type FileKind = keyof typeof FILE_LIMITS;

/** Why a file could not be read, as a sentence fragment for `path: error[io]: cannot read …: <reason>`. */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
}

const CHUNK = 4 * MiB;

/**
 * The bytes of a regular file of at most `FILE_LIMITS[kind]` bytes. Throws
 * `FileReadError` with a plain reason for a missing file, a directory, a
 * device or FIFO, a file over the limit, or a read error.
 */
export function readLimited(path: string, kind: FileKind, limit: number = FILE_LIMITS[kind]): Uint8Array {
  let fd: number;
  let size: number;
  try {
    // stat before open: opening a FIFO would block until someone writes to it.
    const stats = statSync(path);
    if (!stats.isFile()) throw new FileReadError(`not a regular file (${fileType(stats)})`);
    if (stats.size > limit) throw tooLarge(kind, limit, `${formatMemory(stats.size)}`);
    size = stats.size;
    fd = openSync(path, 'r');
  } catch (error) {
    throw asReadError(error);
  }
  try {
    // A regular file's size is a good first guess (a procfs file says 0); grow when it was not.
    let bytes = new Uint8Array(Math.min(limit + 1, Math.max(size + 1, 64 * 1024)));
    let total = 0;
    for (;;) {
      if (total === bytes.length) {
        if (total > limit) throw tooLarge(kind, limit, `more than ${formatMemory(limit)}`);
        const grown = new Uint8Array(Math.min(limit + 1, 2 * bytes.length));
        grown.set(bytes);
        bytes = grown;
      }
      const n = readSync(fd, bytes, total, Math.min(CHUNK, bytes.length - total), null);
      if (n === 0) break;
      total += n;
    }
    if (total > limit) throw tooLarge(kind, limit, `more than ${formatMemory(limit)}`);
    return bytes.subarray(0, total);
  } catch (error) {
    throw asReadError(error);
  } finally {
    closeSync(fd);
  }
}

function tooLarge(kind: FileKind, limit: number, size: string): FileReadError {
  return new FileReadError(`the file is ${size}; a ${kind === 'spec' ? 'model spec' : `${kind} file`} is at most ${formatMemory(limit)}`);
}

function fileType(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

function asReadError(error: unknown): FileReadError {
  if (error instanceof FileReadError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new FileReadError('no such file');
  if (code === 'EACCES' || code === 'EPERM') return new FileReadError('permission denied');
  if (code === 'EISDIR') return new FileReadError('not a regular file (a directory)');
  return new FileReadError((error as Error).message);
}
