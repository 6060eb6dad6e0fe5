/** The weights paths a document names (`weights "resnet18.safetensors"`), for links to the files. */
import type { Body, Span } from './ast';
import type { Analysis } from './types';

export interface WeightsLink {
  /** The text inside the quotes. */
  readonly span: Span;
  /** The path as written; where it leads is for `resolveWeightsPath` to say. */
  readonly path: string;
}

/** Every non-empty weights path, in source order, inside repeats and branches too. */
export function weightsLinks(analysis: Analysis): WeightsLink[] {
  const links: WeightsLink[] = [];
  const visit = (body: Body) => {
    for (const statement of body.statements) {
      if (statement.kind === 'weights' && statement.path.kind === 'string' && statement.path.value.length > 0) {
        const { start, end } = statement.path.span;
        links.push({ span: { start: start + 1, end: Math.max(start + 1, end - 1) }, path: statement.path.value });
      } else if (statement.kind === 'repeat') visit(statement.body);
      else if (statement.kind === 'if') {
        visit(statement.then);
        if (statement.else) visit(statement.else);
      }
    }
  };
  for (const item of analysis.program.items) visit(item.body);
  return links;
}
