// Where the face models and tfjs wasm binaries are served from (our own origin, never a CDN). The build
// copies exactly these files; the dev server mounts them from node_modules; the service worker caches them.
export const HUMAN_VERSION = '3.3.6';
export const TFJS_VERSION = '4.22.0';
export const HUMAN_MODELS_PATH = '/human/models/';
export const HUMAN_WASM_PATH = '/human/wasm/';
/** blazeface finds faces, facemesh aligns them, faceres gives the 1024-float descriptor. */
export const HUMAN_MODEL_FILES = ['blazeface.json', 'blazeface.bin', 'facemesh.json', 'facemesh.bin', 'faceres.json', 'faceres.bin'];
export const TFJS_WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
/** The descriptor model's id, stored with every face so a new model never mixes with old descriptors. */
export const FACE_MODEL_ID = `human-${HUMAN_VERSION}-faceres`;
