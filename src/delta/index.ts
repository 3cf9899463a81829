export type { DeltaBatch, DeltaCodec } from './codec.js';
export { jsonPatch, mergePatch } from './codec.js';
export { jsonEqual } from './equal.js';
export { applyJsonPatch } from './json-patch.js';
export { applyMergePatch } from './merge-patch.js';
export { parsePointer } from './pointer.js';
