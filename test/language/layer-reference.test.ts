import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerSpecs } from '../../src/language/catalogue';
import { layerReference } from '../../src/language/layer-reference';

describe('layer reference', () => {
  it('documents every catalogue kind', () => {
    const text = layerReference();
    for (const spec of layerSpecs()) expect(text).toContain(`### \`${spec.kind}\``);
  });
  it('is what docs/layers.md holds (run `npm run docs` after changing the catalogue)', () => {
    expect(readFileSync(join(__dirname, '../../docs/layers.md'), 'utf8')).toBe(layerReference());
  });
});
