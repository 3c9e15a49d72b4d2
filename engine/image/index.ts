// The image engine's verbs (ARCHITECTURE.md "Engines"): analyze at import, train a bundle, generate in three modes.
import type { LoadedBundle } from '../bundle/bundle';
import { generateFromPrompt, type PromptRequest } from './compose';
import { generateImage, type GenerateContext, type GeneratedImage, type ReferenceRequest } from './generate';
import { generateVariation, type VariationRequest } from './variation';

export { ingestImage as analyze } from '../media/image';
export { trainImageModel as train } from './train';

/** One request for each mode: the client's picture redrawn, a composition from words, or a variation of an asset. */
export type ImageGenerateRequest =
  | ReferenceRequest
  | ({ mode: 'prompt' } & PromptRequest)
  | ({ mode: 'variation' } & VariationRequest);

export async function generate(bundle: LoadedBundle, request: ImageGenerateRequest, ctx: GenerateContext = {}): Promise<GeneratedImage> {
  switch (request.mode) {
    case 'reference':
      return generateImage(bundle, request, ctx);
    case 'prompt':
      return generateFromPrompt(bundle, { prompt: request.prompt, seed: request.seed, ...(request.size !== undefined ? { size: request.size } : {}) }, ctx);
    case 'variation':
      return generateVariation(bundle, { assetSha256: request.assetSha256, seed: request.seed, ...(request.size !== undefined ? { size: request.size } : {}) }, ctx);
  }
}
