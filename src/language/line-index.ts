/**
 * Offsets to line/character positions and back: the one conversion the edges
 * (the LSP server, the CLI) use to present spans.
 *
 * Characters count UTF-16 code units, as JavaScript string offsets and LSP
 * positions do. Lines end at `\r\n`, `\n` or a lone `\r`, as the LSP specifies.
 */
import type { Span } from './ast';

/** Zero-based line and UTF-16 character, the LSP's convention. */
export interface Position {
  readonly line: number;
  readonly character: number;
}

export class LineIndex {
  /** Offset where each line starts; `lineStarts[0]` is 0. */
  private readonly lineStarts: number[] = [0];
  /** Offset where each line's content ends (before its line break). */
  private readonly lineEnds: number[] = [];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === 13 /* \r */ || code === 10 /* \n */) {
        this.lineEnds.push(i);
        if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
        this.lineStarts.push(i + 1);
      }
    }
    this.lineEnds.push(text.length);
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The start offset of a line, clamped to the document. */
  lineStart(line: number): number {
    return this.lineStarts[Math.min(Math.max(line, 0), this.lineStarts.length - 1)];
  }

  /** The offset where a line's content ends, before its line break. */
  lineEnd(line: number): number {
    return this.lineEnds[Math.min(Math.max(line, 0), this.lineEnds.length - 1)];
  }

  /** The line holding an offset (an offset inside a line break belongs to the line it ends). */
  lineAt(offset: number): number {
    const clamped = Math.min(Math.max(offset, 0), this.text.length);
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  positionAt(offset: number): Position {
    const line = this.lineAt(offset);
    const clamped = Math.min(Math.max(offset, 0), this.lineEnds[line]);
    return { line, character: clamped - this.lineStarts[line] };
  }

  /**
   * The offset of a position. As the LSP asks, a character past the end of its
   * line means the line's end, and a line past the end means the document's end.
   */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[position.line];
    return Math.min(start + Math.max(position.character, 0), this.lineEnds[position.line]);
  }

  range(span: Span): { start: Position; end: Position } {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  span(range: { start: Position; end: Position }): Span {
    return { start: this.offsetAt(range.start), end: this.offsetAt(range.end) };
  }
}
