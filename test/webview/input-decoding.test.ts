import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ImageDataMessage } from '../../src/protocol/webview';
import { PreviewSession } from '../../webview/session';
import { ThumbnailLoader } from '../../webview/thumbnails';

type Receiver = { session: PreviewSession; thumbnails: ThumbnailLoader; onReady: () => void; onError: (message: string) => void };
let receiveImage: (message: ImageDataMessage, receiver: Receiver) => void;
const globals = globalThis as Record<string, unknown>;

beforeAll(async () => {
  // Not a literal path: the module is type-checked with the DOM lib (webview/tsconfig.json), not with this project's.
  const module = '../../webview/input-decoding';
  ({ receiveImage } = await import(/* @vite-ignore */ module));
});

/** The browser's decoder, stood in for: bytes starting with 0 do not decode. */
function stubDecoder(): void {
  globals.createImageBitmap = async (blob: Blob) => {
    const first = new Uint8Array(await blob.arrayBuffer())[0];
    if (first === 0) throw new Error('cannot decode');
    return { width: 1, height: 1, close: () => {} };
  };
  globals.OffscreenCanvas = class {
    getContext() {
      return { drawImage: () => {}, getImageData: () => ({ width: 1, height: 1, data: new Uint8ClampedArray([1, 2, 3, 255]) }) };
    }
  };
}

afterEach(() => {
  delete globals.createImageBitmap;
  delete globals.OffscreenCanvas;
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp() {
  stubDecoder();
  const session = new PreviewSession();
  session.init({ type: 'init', uri: 'file:///w/m.cnn', notation: '×', fileName: 'm.cnn', text: '', facts: { inputShape: [1, 28, 28], weightsPath: null }, version: 1, images: [{ id: 'img:digit-0', label: 'digit-0', group: 'sample' }, { id: 'img:mine', label: 'mine', group: 'workspace' }] }, undefined);
  const events: string[] = [];
  const thumbnails = new ThumbnailLoader(
    () => {},
    () => 'blob:thumb',
  );
  const receiver: Receiver = { session, thumbnails, onReady: () => events.push('ready'), onError: (message) => events.push(message) };
  return { session, thumbnails, events, receiver };
}

describe('receiveImage', () => {
  it('decodes the chosen input on the page and says when the run can go', async () => {
    const { session, events, receiver } = setUp();
    expect(session.nextRun().requests).toEqual([{ type: 'requestImage', id: 'img:digit-0' }]);
    receiveImage({ type: 'imageData', id: 'img:digit-0', bytes: new Uint8Array([7]) }, receiver);
    await settle();
    expect(events).toEqual(['ready']);
    expect(session.nextRun().run?.input).toMatchObject({ kind: 'image', id: 'img:digit-0', pixels: { width: 1, height: 1 } });
  });

  it('hands bytes the page cannot decode to the worker as they are', async () => {
    const { session, events, receiver } = setUp();
    session.nextRun();
    receiveImage({ type: 'imageData', id: 'img:digit-0', bytes: new Uint8Array([0]) }, receiver);
    await settle();
    expect(events).toEqual(['ready']);
    expect(session.nextRun().run?.input).toEqual({ kind: 'image', id: 'img:digit-0', bytes: new Uint8Array([0]) });
  });

  it('gives a thumbnail its bytes without keeping or decoding them', async () => {
    const { session, thumbnails, events, receiver } = setUp();
    const url = thumbnails.load('img:mine');
    receiveImage({ type: 'imageData', id: 'img:mine', bytes: new Uint8Array([7]) }, receiver);
    await settle();
    expect(await url).toBe('blob:thumb');
    expect(events).toEqual([]);
    session.choice = { kind: 'image', id: 'img:mine' };
    expect(session.nextRun().requests, 'asked for again, to run on').toEqual([{ type: 'requestImage', id: 'img:mine' }]);
  });

  it('says why an image could not be read, and lets it be asked for again', () => {
    const { session, events, receiver } = setUp();
    session.nextRun();
    receiveImage({ type: 'imageData', id: 'img:digit-0', error: 'EACCES' }, receiver);
    expect(events).toEqual(['Could not read the image: EACCES']);
    expect(session.nextRun().requests).toEqual([{ type: 'requestImage', id: 'img:digit-0' }]);
  });
});
