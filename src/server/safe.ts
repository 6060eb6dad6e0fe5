import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

export interface Logger {
  error(message: string): void;
}

/**
 * Runs a request handler so that it can neither crash the server nor waste time
 * on a request the client has given up on.
 *
 * The work waits two turns of the event loop first. vscode-jsonrpc dispatches
 * one queued message per turn, so a `$/cancelRequest` that arrived right behind
 * its request is dispatched before the work starts; a cancelled request then
 * answers `RequestCancelled` without doing the work.
 * An exception is logged and answered with `fallback`, so one bad input costs
 * one empty hover, not the session.
 */
export function runSafe<T>(
  logger: Logger,
  name: string,
  token: CancellationToken | undefined,
  fallback: T,
  work: () => T,
): Promise<T | ResponseError<void>> {
  return new Promise((resolve) => {
    afterQueuedMessages(() => {
      if (token?.isCancellationRequested) {
        resolve(cancelled());
        return;
      }
      try {
        const result = work();
        resolve(token?.isCancellationRequested ? cancelled() : result);
      } catch (error) {
        logger.error(`${name} failed: ${describeError(error)}`);
        resolve(fallback);
      }
    });
  });
}

/** The same guard for notifications and other work that answers nobody. */
export function runSafeVoid(logger: Logger, name: string, work: () => void): void {
  try {
    work();
  } catch (error) {
    logger.error(`${name} failed: ${describeError(error)}`);
  }
}

/**
 * Runs `work` once the messages already received have been dispatched:
 * vscode-jsonrpc dispatches one queued message per turn of the event loop.
 */
export function afterQueuedMessages(work: () => void): void {
  setImmediate(() => setImmediate(work));
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

/** An error as the log shows it: its stack when it has one. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return String(error);
}
