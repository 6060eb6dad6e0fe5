import { describe, expect, it } from 'vitest';
import { ThumbnailLoader } from '../../webview/thumbnails';

describe('ThumbnailLoader', () => {
  it('asks for an image’s bytes once, and gives every caller the URL made from them', async () => {
    const requested: string[] = [];
    const loader = new ThumbnailLoader((id) => requested.push(id), (bytes) => `blob:${bytes.join(',')}`);
    const first = loader.load('file:///w/a.png');
    const second = loader.load('file:///w/a.png');
    expect(requested).toEqual(['file:///w/a.png']);
    expect(loader.receive('file:///w/a.png', new Uint8Array([1, 2]))).toBe(true);
    expect(await first).toBe('blob:1,2');
    expect(await second).toBe('blob:1,2');
    expect(await loader.load('file:///w/a.png')).toBe('blob:1,2');
    expect(requested).toHaveLength(1);
  });

  it('says when a reply was not for a thumbnail, and gives no URL for an image the extension would not read', async () => {
    const loader = new ThumbnailLoader(() => undefined, () => 'blob:x');
    expect(loader.receive('file:///w/run-input.png', new Uint8Array([1]))).toBe(false);
    const refused = loader.load('file:///w/b.png');
    expect(loader.receive('file:///w/b.png', undefined)).toBe(true);
    expect(await refused).toBeUndefined();
    expect(loader.receive('file:///w/b.png', new Uint8Array([1]))).toBe(false);
  });
});
