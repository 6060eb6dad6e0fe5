/** "Export PNG": a layer's drawn maps as one sheet, which the extension saves where the user says. */
import type { WebviewToExtension } from '../src/protocol/webview';
import { element } from './dom';
import type { DrawnMap } from './render';
import { composeSheet, tileLayout } from './tiling';

/** The file name offered: the layer's name made safe, and the map size (`conv1-28x28.png`). */
export function exportName(layerName: string, width: number, height: number): string {
  return `${layerName.replace(/[^\w.-]+/g, '_')}-${width}x${height}.png`;
}

/** Composes the maps (2 px apart) into a PNG and posts it to the extension; nothing when none are drawn. */
export async function exportGrid(
  layerName: string,
  drawn: readonly DrawnMap[],
  size: { readonly width: number; readonly height: number },
  post: (message: WebviewToExtension, transfer: Transferable[]) => void,
): Promise<void> {
  if (drawn.length === 0) return;
  const layout = tileLayout(drawn.length, drawn[0].canvas.width, drawn[0].canvas.height, { gap: 2 });
  const sheet = composeSheet(
    layout,
    drawn.map((d) => d.rgba),
  );
  const canvas = element('canvas');
  canvas.width = layout.width;
  canvas.height = layout.height;
  canvas.getContext('2d')?.putImageData(new ImageData(sheet, layout.width, layout.height), 0, 0);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) return;
  const bytes = new Uint8Array(await blob.arrayBuffer());
  post({ type: 'savePng', suggestedName: exportName(layerName, size.width, size.height), bytes }, [bytes.buffer]);
}
