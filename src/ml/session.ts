// Fetching a model from our own origin with checks a person can act on, then creating the ORT session.
import type { ModelEntry } from '../shared/manifest';
import { SightlineError } from '../shared/types';
import { sha256Hex } from './image/decode';
import type { Ort } from './backend';

async function fetchChecked(url: string, what: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new SightlineError('model-missing', `${what} could not be downloaded (${(e as Error).message}); are you offline?`);
  }
  if (res.status === 404) throw new SightlineError('model-missing', `${what} is not on the server (HTTP 404). Run \`npm run models\` to fetch it.`);
  if (!res.ok) throw new SightlineError('model-missing', `${what} could not be downloaded (HTTP ${res.status})`);
  return res;
}

export async function fetchModelBytes(entry: ModelEntry, url: string): Promise<Uint8Array<ArrayBuffer>> {
  const what = `Model file ${entry.file}`;
  const res = await fetchChecked(url, what);
  if ((res.headers.get('content-type') ?? '').includes('text/html'))
    throw new SightlineError('model-corrupt', `${what}: the server answered with an HTML page instead of the model`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (bytes.length !== entry.size)
    throw new SightlineError('model-corrupt', `${what} is ${bytes.length} bytes, expected ${entry.size} (incomplete or wrong file). Run \`npm run models\`.`);
  const sha = await sha256Hex(bytes);
  if (sha !== entry.sha256)
    throw new SightlineError(
      'model-corrupt',
      `${what} is corrupt (sha256 ${sha.slice(0, 12)}…, expected ${entry.sha256.slice(0, 12)}…). Run \`npm run models\`.`,
    );
  return bytes;
}

export async function fetchText(url: string, what: string): Promise<string> {
  return (await fetchChecked(url, what)).text();
}

export async function createSession(ort: Ort, eps: string[], entry: ModelEntry, bytes: Uint8Array): Promise<{ session: OrtSession; ep: string; note: string }> {
  let note = '';
  for (const ep of eps) {
    try {
      const session = await ort.InferenceSession.create(bytes, { executionProviders: [ep], graphOptimizationLevel: 'all' });
      const missing = [entry.input.name, entry.output.scores, entry.output.features].filter(
        (n): n is string => !!n && !session.inputNames.includes(n) && !session.outputNames.includes(n),
      );
      if (missing.length)
        throw new SightlineError(
          'model-corrupt',
          `${entry.file} has no tensor named ${missing.join(', ')} (inputs: ${session.inputNames.join(', ')}; outputs: ${session.outputNames.join(', ')})`,
        );
      return { session, ep, note };
    } catch (e) {
      if (e instanceof SightlineError) throw e;
      note += `${ep} failed: ${(e as Error).message}. `;
    }
  }
  throw new SightlineError('model-corrupt', `${entry.file} could not be loaded: ${note}`);
}

export type OrtSession = Awaited<ReturnType<Ort['InferenceSession']['create']>>;
