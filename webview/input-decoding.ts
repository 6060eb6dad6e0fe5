/**
 * Images the extension sends: a thumbnail's bytes go to the picker; an input's
 * are kept and decoded on the page, while the worker is still starting up,
 * instead of in the worker after it has analysed the spec.
 */
import type { ImageDataMessage } from '../src/protocol/webview';
import { asBytes } from '../src/protocol/bytes';
import { decodeImage } from './decode-image';
import type { PreviewSession } from './session';
import type { ThumbnailLoader } from './thumbnails';

export interface ImageReceiver {
  readonly session: PreviewSession;
  readonly thumbnails: ThumbnailLoader;
  /** The run was waiting for this image, and it is decoded (or could not be, and the worker will say so). */
  readonly onReady: () => void;
  readonly onError: (message: string) => void;
}

export function receiveImage(message: ImageDataMessage, receiver: ImageReceiver): void {
  const { session, thumbnails } = receiver;
  const bytes = asBytes(message.bytes);
  const id = message.id;
  // Asked for a workspace image's thumbnail only: neither kept nor decoded.
  if (thumbnails.receive(id, bytes ?? undefined) && !session.wantsImage(id)) return;
  if (!bytes) {
    session.imageFailed(id);
    receiver.onError(`Could not read the image: ${message.error ?? 'unknown error'}`);
    return;
  }
  session.imageArrived(id, bytes);
  performance.mark('convlens:decode-start');
  void decodeImage(bytes)
    .catch(() => null)
    .then((pixels) => {
      performance.mark('convlens:decode-end');
      if (session.imageDecoded(id, pixels)) receiver.onReady();
    });
}
