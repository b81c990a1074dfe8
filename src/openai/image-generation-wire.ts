import { z } from 'zod';

/** Parameters of `POST /v1/images/generations` the arena cannot honour; accepted and ignored. */
export const IGNORED_IMAGE_PARAMETERS = ['size', 'quality', 'style', 'user', 'background', 'output_format', 'moderation'] as const;

/** The body of `POST /v1/images/generations`. */
export const imageGenerationRequestSchema = z.looseObject({
  prompt: z.string().min(1, { error: 'must not be empty' }),
  model: z.string().min(1),
  n: z.number().int().min(1, { error: 'must be between 1 and 4' }).max(4, { error: 'must be between 1 and 4' }).nullish(),
  size: z.string().nullish(),
  response_format: z.enum(['url', 'b64_json']).nullish(),
});

/** A validated image generation request body. */
export type ImageGenerationRequestWire = z.infer<typeof imageGenerationRequestSchema>;

/** One generated image on the wire. */
export type ImageWire = { url: string } | { b64_json: string };

/** The `POST /v1/images/generations` response body. */
export interface ImagesResponseWire {
  created: number;
  data: ImageWire[];
}
