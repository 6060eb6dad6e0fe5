import { describe, expect, it } from 'vitest';
import { defaultSettings, readSettings } from '../../src/server/settings';

describe('readSettings', () => {
  it('takes what the client sends', () => {
    expect(readSettings({ inlayHints: { outputShape: false, params: true }, shapeNotation: 'x' })).toEqual({
      inlayHints: { outputShape: false, params: true },
      shapeNotation: 'x',
    });
  });

  it('keeps defaults for anything missing or malformed', () => {
    expect(readSettings(undefined)).toEqual(defaultSettings);
    expect(readSettings({ inlayHints: 'yes', shapeNotation: '*' })).toEqual(defaultSettings);
    expect(readSettings({ inlayHints: { params: 1 } })).toEqual(defaultSettings);
  });
});
