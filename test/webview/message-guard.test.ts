import { describe, expect, it } from 'vitest';
import { describeDropped, EXTENSION_MESSAGE_TYPES, parseExtensionMessage, parseWebviewMessage, WEBVIEW_MESSAGE_TYPES } from '../../webview/message-guard';

const image = { id: 'file:///w/a.png', label: 'a', group: 'workspace', thumbnail: 'https://r/a.png' };

/** One well-formed message of each type, each side. */
const fromExtension = {
  init: { type: 'init', uri: 'file:///w/m.cnn', notation: '×', fileName: 'm.cnn', text: 'model M {}', facts: { inputShape: [1, 8, 8], weightsPath: 'w.safetensors' }, version: 3, images: [image], state: { uri: 'file:///w/m.cnn', seed: 2, tab: 'maps' } },
  spec: { type: 'spec', text: 'model M {}', facts: { inputShape: null, weightsPath: null }, version: 4 },
  cursor: { type: 'cursor', line: 7 },
  imageData: { type: 'imageData', id: image.id, bytes: new Uint8Array([1, 2]) },
  weightsData: { type: 'weightsData', path: 'w.safetensors', error: 'the weights file is outside the workspace, so it is not read' },
  images: { type: 'images', images: [image] },
};
const fromWebview = {
  ready: { type: 'ready' },
  reveal: { type: 'reveal', offset: 12 },
  requestImage: { type: 'requestImage', id: image.id },
  requestWeights: { type: 'requestWeights', path: 'w.safetensors' },
  savePng: { type: 'savePng', suggestedName: 'conv1.png', bytes: new Uint8Array([137, 80, 78, 71]) },
  log: { type: 'log', level: 'error', message: 'boom' },
};

describe('parseExtensionMessage', () => {
  it('passes each well-formed message of every type the protocol has', () => {
    expect(Object.keys(fromExtension).sort()).toEqual(Object.keys(EXTENSION_MESSAGE_TYPES).sort());
    for (const message of Object.values(fromExtension)) expect(parseExtensionMessage(message), message.type).toEqual(message);
  });

  it('drops unknown types and malformed fields', () => {
    const bad: unknown[] = [
      null,
      'init',
      [],
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { ...fromExtension.init, notation: 'X' },
      { ...fromExtension.init, images: [{ ...image, group: 'elsewhere' }] },
      { ...fromExtension.init, images: 'all' },
      { ...fromExtension.init, state: { uri: 5 } },
      { ...fromExtension.init, state: { uri: 'file:///w/m.cnn', tab: 'shell' } },
      { ...fromExtension.spec, text: 42 },
      { ...fromExtension.spec, facts: undefined },
      { ...fromExtension.spec, facts: { inputShape: [1, -8], weightsPath: null } },
      { ...fromExtension.spec, facts: { inputShape: 'big', weightsPath: null } },
      { ...fromExtension.init, facts: { inputShape: null, weightsPath: 7 } },
      { ...fromExtension.init, facts: { inputShape: null, weightsPath: 'x'.repeat(5000) } },
      { ...fromExtension.cursor, line: -1 },
      { ...fromExtension.cursor, line: 1.5 },
      { type: 'imageData', id: image.id },
      { type: 'imageData', id: image.id, bytes: 'AAAA' },
      { type: 'weightsData', path: 'w.safetensors', bytes: new Uint8Array([1]), error: 'both' },
      { type: 'weightsData', path: 'x'.repeat(5000), error: 'too long a path' },
    ];
    for (const message of bad) expect(parseExtensionMessage(message), JSON.stringify(message)?.slice(0, 80)).toBeUndefined();
  });

  it('hands bytes on as a Uint8Array however they travelled', () => {
    const parsed = parseExtensionMessage({ type: 'weightsData', path: 'w.safetensors', bytes: { type: 'Buffer', data: [5, 6] } });
    expect(parsed).toEqual({ type: 'weightsData', path: 'w.safetensors', bytes: new Uint8Array([5, 6]) });
  });
});

describe('parseWebviewMessage', () => {
  it('passes each well-formed message of every type the protocol has', () => {
    expect(Object.keys(fromWebview).sort()).toEqual(Object.keys(WEBVIEW_MESSAGE_TYPES).sort());
    for (const message of Object.values(fromWebview)) expect(parseWebviewMessage(message), message.type).toEqual(message);
  });

  it('drops unknown types and malformed fields', () => {
    const bad: unknown[] = [
      undefined,
      { type: 'writeFile', path: '/etc/passwd', bytes: [1] },
      { type: 'reveal', offset: '12' },
      { type: 'reveal', offset: Number.NaN },
      { type: 'requestImage', id: { toString: () => 'x' } },
      { type: 'requestWeights' },
      { type: 'savePng', suggestedName: 'a.png' },
      { type: 'savePng', suggestedName: 'a'.repeat(300), bytes: new Uint8Array([1]) },
      { type: 'savePng', suggestedName: 'a.png', bytes: 'iVBORw0KGgo=' },
      { type: 'log', level: 'debug', message: 'x' },
    ];
    for (const message of bad) expect(parseWebviewMessage(message), JSON.stringify(message)?.slice(0, 80)).toBeUndefined();
  });

  it('describes a dropped message by its type only', () => {
    expect(describeDropped({ type: 'writeFile', path: '/etc/passwd' })).toBe("a malformed or unknown 'writeFile' message");
    expect(describeDropped(null)).toBe('a message without a type (null)');
  });
});
