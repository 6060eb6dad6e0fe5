/** Which layer the editor's cursor is on. Pure. */
import type { LayerInfo } from '../src/protocol/webview';

/** Layer index for an editor line: the layer called on it, else the first layer of a block call on it. */
export function layerAtLine(layers: readonly Pick<LayerInfo, 'line' | 'callLines'>[], line: number): number {
  const direct = layers.findIndex((l) => l.line === line && l.callLines.length === 0);
  if (direct >= 0) return direct;
  const viaCall = layers.findIndex((l) => l.callLines.includes(line));
  if (viaCall >= 0) return viaCall;
  return layers.findIndex((l) => l.line === line);
}
