import { describe, expect, it } from 'vitest';
import type { ImageEntry, InitMessage, LayerInfo, PlanMessage, SpecFacts } from '../../src/protocol/webview';
import { errorStatus, FIRST_CHANNELS, planStatus, PreviewSession, stopBanner } from '../../webview/session';

const image = (label: string, group: ImageEntry['group'] = 'sample'): ImageEntry => ({ id: `file:///${label}.png`, label, group });
const images = [image('astronaut'), image('digit-0'), image('mine', 'workspace')];
const lenetFacts: SpecFacts = { inputShape: [1, 32, 32], weightsPath: null };

function init(overrides: Partial<InitMessage> = {}): InitMessage {
  return { type: 'init', uri: 'file:///w/m.cnn', notation: '×', fileName: 'm.cnn', text: 'model M {}', facts: lenetFacts, version: 1, images, ...overrides };
}

function started(overrides: Partial<InitMessage> = {}): PreviewSession {
  const session = new PreviewSession();
  session.init(init(overrides), undefined);
  return session;
}

const layer = (name: string, weightOrigin: LayerInfo['weightOrigin'] = 'random'): LayerInfo => ({
  id: 0,
  name,
  kind: 'conv',
  line: 3,
  callLines: [],
  offset: 0,
  outputShape: [4, 2, 2],
  params: 10,
  macs: 10,
  receptiveField: null,
  jump: null,
  fieldStart: null,
  weightOrigin,
});

const plan = (overrides: Partial<PlanMessage> = {}): PlanMessage => ({
  type: 'plan',
  runId: 1,
  model: 'M',
  inputShape: [1, 32, 32],
  layers: [layer('conv1'), layer('conv2')],
  stop: null,
  summary: '',
  weightsPath: null,
  weightsNote: 'seeded random init (seed 1)',
  totalParams: 20,
  ...overrides,
});

describe('PreviewSession: init and the saved state', () => {
  it('starts on the default input for the input shape the extension found: a digit for a small one-channel model', () => {
    const session = started();
    expect(session.choice).toEqual({ kind: 'image', id: 'file:///digit-0.png' });
    expect(session.inputShape).toEqual([1, 32, 32]);
    expect(started({ facts: { inputShape: [3, 224, 224], weightsPath: null } }).choice).toEqual({ kind: 'image', id: 'file:///astronaut.png' });
    expect(started({ facts: { inputShape: null, weightsPath: null } }).choice).toEqual({ kind: 'pattern', pattern: 'chirp' });
  });

  it("takes back a revived panel's choices when they are of this document, and not another's", () => {
    const kept = { uri: 'file:///w/m.cnn', seed: 7, normalisation: 'layer', colormap: 'gray', tab: 'summary', inputId: 'pattern:stripes' } as const;
    const session = new PreviewSession();
    session.init(init(), kept);
    expect(session.saved()).toEqual(kept);
    const other = new PreviewSession();
    other.init(init(), { ...kept, uri: 'file:///w/other.cnn' });
    expect(other.saved()).toEqual({ uri: 'file:///w/m.cnn', seed: 1, normalisation: 'channel', colormap: 'auto', tab: 'maps', inputId: 'image:file:///digit-0.png' });
  });

  it('ignores a kept colormap it does not know, and falls back to the default input for an unknown kept one', () => {
    const session = new PreviewSession();
    session.init(init(), { uri: 'file:///w/m.cnn', colormap: 'rainbow' as never, inputId: 'pattern:nope' });
    expect(session.colormap).toBe('auto');
    expect(session.choice).toEqual({ kind: 'image', id: 'file:///digit-0.png' });
  });

  it('re-seeds to a different seed each time, from the random number it is given', () => {
    const session = started();
    session.reseed(0);
    expect(session.seed).toBe(2);
    session.reseed(0.5);
    expect(session.seed).toBe(503);
    expect(session.saved().seed).toBe(503);
  });

  it('lists the inputs: samples, then workspace images, then patterns; and names the chosen one', () => {
    const session = started();
    const labels = session.inputOptions().map((o) => o.label);
    expect(labels.slice(0, 4)).toEqual(['Sample: astronaut', 'Sample: digit-0', 'Workspace: mine', 'Pattern: Checkerboard']);
    expect(session.inputOptions()[2].value).toBe('image:file:///mine.png');
    expect(session.inputLabel()).toBe('digit-0');
    session.choice = { kind: 'pattern', pattern: 'circle' };
    expect(session.inputLabel()).toBe('pattern: circle');
  });
});

describe('PreviewSession.nextRun: what the next run waits for', () => {
  it('runs a pattern at once, with the text, seed, notation and the first channels', () => {
    const session = started({ text: 'model P {}', notation: 'x' });
    session.choice = { kind: 'pattern', pattern: 'stripes' };
    const step = session.nextRun();
    expect(step.requests).toEqual([]);
    expect(step.run).toEqual({ type: 'run', runId: 1, text: 'model P {}', input: { kind: 'pattern', pattern: 'stripes' }, seed: 1, channels: FIRST_CHANNELS, notation: 'x' });
    expect(session.nextRun().run?.runId).toBe(2);
  });

  it('asks for the chosen image once, has the worker analyse the text meanwhile, and runs once it is decoded', () => {
    const session = started();
    const first = session.nextRun();
    expect(first).toEqual({ requests: [{ type: 'requestImage', id: 'file:///digit-0.png' }], prepare: 'model M {}' });
    // Asked already, the text already prepared: nothing more to do until the bytes come.
    expect(session.nextRun()).toEqual({ requests: [] });
    expect(session.wantsImage('file:///digit-0.png')).toBe(true);
    const bytes = new Uint8Array([1, 2]);
    session.imageArrived('file:///digit-0.png', bytes);
    expect(session.nextRun().run, 'waits for the decode').toBeUndefined();
    const pixels = { width: 1, height: 1, data: new Uint8ClampedArray(4) };
    expect(session.imageDecoded('file:///digit-0.png', pixels), 'the run waited for it').toBe(true);
    expect(session.nextRun().run?.input).toEqual({ kind: 'image', id: 'file:///digit-0.png', bytes, pixels });
  });

  it('hands the worker the bytes alone when the page could not decode them', () => {
    const session = started();
    session.nextRun();
    const bytes = new Uint8Array([9]);
    session.imageArrived('file:///digit-0.png', bytes);
    session.imageDecoded('file:///digit-0.png', null);
    expect(session.nextRun().run?.input).toEqual({ kind: 'image', id: 'file:///digit-0.png', bytes });
  });

  it('asks again for an image the extension could not give', () => {
    const session = started();
    session.nextRun();
    session.imageFailed('file:///digit-0.png');
    expect(session.nextRun().requests).toEqual([{ type: 'requestImage', id: 'file:///digit-0.png' }]);
  });

  it('does not count an image decoded for another choice as the one the run waits for', () => {
    const session = started();
    expect(session.imageDecoded('file:///astronaut.png', null)).toBe(false);
  });

  it('waits for the weights file the spec names, asks for it once, then runs with it', () => {
    const session = started({ facts: { inputShape: [1, 32, 32], weightsPath: 'w.safetensors' } });
    session.choice = { kind: 'pattern', pattern: 'circle' };
    expect(session.nextRun()).toEqual({ requests: [{ type: 'requestWeights', path: 'w.safetensors' }], prepare: 'model M {}' });
    expect(session.nextRun()).toEqual({ requests: [] });
    const bytes = new Uint8Array([3]);
    session.weightsArrived('w.safetensors', bytes);
    expect(session.nextRun().run?.weights).toEqual({ path: 'w.safetensors', bytes });
  });

  it('runs on the seeded init when the extension refuses the weights file, and says why', () => {
    const session = started({ facts: { inputShape: [1, 32, 32], weightsPath: '../secret.safetensors' } });
    session.choice = { kind: 'pattern', pattern: 'circle' };
    session.nextRun();
    expect(session.weightsRefused('../secret.safetensors', 'outside the workspace')).toBe('Weights: ../secret.safetensors: outside the workspace; RANDOM init');
    const run = session.nextRun().run;
    expect(run).toBeDefined();
    expect(run?.weights).toBeUndefined();
  });

  it('follows the weights path of an edited text, and prepares each new text once', () => {
    const session = started();
    session.choice = { kind: 'pattern', pattern: 'circle' };
    session.spec({ type: 'spec', text: 'model N {}', facts: { inputShape: [1, 8, 8], weightsPath: 'n.safetensors' }, version: 2 });
    expect(session.nextRun()).toEqual({ requests: [{ type: 'requestWeights', path: 'n.safetensors' }], prepare: 'model N {}' });
    session.spec({ type: 'spec', text: 'model N { }', facts: { inputShape: [1, 8, 8], weightsPath: 'n.safetensors' }, version: 3 });
    expect(session.nextRun()).toEqual({ requests: [], prepare: 'model N { }' });
  });

  it('does nothing before init', () => {
    expect(new PreviewSession().nextRun()).toEqual({ requests: [] });
  });
});

describe('PreviewSession.planArrived', () => {
  it('takes the input shape the worker found, and says the weights are random', () => {
    const session = started({ facts: { inputShape: null, weightsPath: null } });
    expect(session.planArrived(plan())).toEqual({ weightsNote: 'Weights: seeded random init (seed 1)', random: true });
    expect(session.inputShape).toEqual([1, 32, 32]);
    expect(session.planArrived(plan({ layers: [layer('conv1', 'file')] })).random).toBe(false);
  });

  it('asks for a weights file the plan names that the page has not asked for, once', () => {
    const session = started();
    session.choice = { kind: 'pattern', pattern: 'circle' };
    expect(session.planArrived(plan({ weightsPath: 'w.safetensors' })).request).toEqual({ type: 'requestWeights', path: 'w.safetensors' });
    expect(session.planArrived(plan({ weightsPath: 'w.safetensors' })).request).toBeUndefined();
  });

  it('keeps saying why a refused weights file is not used', () => {
    const session = started();
    session.weightsRefused('w.safetensors', 'not readable');
    const arrived = session.planArrived(plan({ weightsPath: 'w.safetensors', weightsNote: 'w.safetensors not loaded yet' }));
    expect(arrived.weightsNote).toBe('Weights: w.safetensors: not readable; RANDOM init');
    expect(arrived.request).toBeUndefined();
  });
});

describe('status lines', () => {
  const stop = { layer: 1, line: 6, column: 4, code: 'channel-mismatch', message: '`conv` needs 3 channels' };

  it('say where a run stops, 1-based, with the code; or that there is no model; or nothing', () => {
    expect(planStatus(plan({ stop }))).toEqual({ message: 'Stopped before layer `conv2`: line 7, column 5: `conv` needs 3 channels [channel-mismatch]', kind: 'stopped' });
    expect(planStatus(plan({ stop: { ...stop, layer: 2 } })).message).toMatch(/^Stopped after the last layer: line 7/);
    expect(planStatus(plan({ model: null }))).toEqual({ message: 'This file has no model to preview.', kind: 'info' });
    expect(planStatus(plan())).toEqual({ message: '', kind: 'info' });
  });

  it('the banner names the layer not run and its line', () => {
    expect(stopBanner(plan({ stop }))).toBe('Stopped before `conv2` (line 4): `conv` needs 3 channels');
    expect(stopBanner(plan({ stop: { ...stop, layer: 5 } }))).toBe('Stopped here: `conv` needs 3 channels');
    expect(stopBanner(plan())).toBeNull();
  });

  it('an error names the layer that failed, or says the run failed', () => {
    expect(errorStatus(plan(), 'no tensor `conv2.weight`', 1)).toEqual({ message: 'Stopped at layer `conv2`: no tensor `conv2.weight`', kind: 'error' });
    expect(errorStatus(null, 'boom', 3).message).toBe('Stopped at layer `#3`: boom');
    expect(errorStatus(plan(), 'out of memory', undefined)).toEqual({ message: 'The run failed: out of memory', kind: 'error' });
  });
});
