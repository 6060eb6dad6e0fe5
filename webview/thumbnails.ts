/**
 * Thumbnails of workspace images, made from their bytes. The webview may
 * load only the extension's own files (localResourceRoots), not the
 * workspace's, so it asks the extension for an image's bytes, which the
 * extension gives only for images it listed, and shows them from a blob: URL.
 * Pure apart from the two functions it is given.
 */
export class ThumbnailLoader {
  private readonly urls = new Map<string, Promise<string | undefined>>();
  private readonly waiting = new Map<string, (url: string | undefined) => void>();

  /**
   * @param request asks the extension for an image's bytes (a `requestImage` message)
   * @param makeUrl a URL showing the bytes (URL.createObjectURL of a Blob in the webview)
   */
  constructor(
    private readonly request: (id: string) => void,
    private readonly makeUrl: (bytes: Uint8Array) => string,
  ) {}

  /** The thumbnail URL of image `id`, asked for once; undefined when the extension could not read it. */
  load(id: string): Promise<string | undefined> {
    let url = this.urls.get(id);
    if (!url) {
      url = new Promise((resolve) => this.waiting.set(id, resolve));
      this.urls.set(id, url);
      this.request(id);
    }
    return url;
  }

  /** Takes an `imageData` reply; true when a thumbnail was waiting for it. */
  receive(id: string, bytes: Uint8Array | undefined): boolean {
    const resolve = this.waiting.get(id);
    if (!resolve) return false;
    this.waiting.delete(id);
    resolve(bytes ? this.makeUrl(bytes) : undefined);
    return true;
  }
}
