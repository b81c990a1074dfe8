import { z } from 'zod';
import type { ArenaModel, ModelCapabilities } from './types.js';

const optionalText = z.string().nullish().catch(undefined);
const capabilityGroupSchema = z.record(z.string(), z.unknown()).nullish().catch(undefined);

const rawModelSchema = z.object({
  id: z.string().min(1),
  publicName: optionalText,
  name: optionalText,
  displayName: optionalText,
  organization: optionalText,
  provider: optionalText,
  capabilities: z
    .object({ inputCapabilities: capabilityGroupSchema, outputCapabilities: capabilityGroupSchema })
    .nullish()
    .catch(undefined),
  userSelectable: z.boolean().nullish().catch(undefined),
});

/**
 * One model object from the flight data or the catalog (§9.3), validated and normalised:
 * capabilities are tested by truthiness (entries may list explicit `false`), a model without an
 * organization is `stealth`, `userSelectable` defaults to true. Undefined when the object has no
 * id or no name at all.
 */
export function normalizeModel(raw: unknown): ArenaModel | undefined {
  const parsed = rawModelSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const model = parsed.data;
  const publicName = nonEmpty(model.publicName) ?? nonEmpty(model.displayName) ?? nonEmpty(model.name);
  if (publicName === undefined) return undefined;
  const organization = nonEmpty(model.organization);
  const result: ArenaModel = {
    id: model.id,
    publicName,
    capabilities: capabilitiesOf(model.capabilities?.inputCapabilities ?? {}, model.capabilities?.outputCapabilities ?? {}),
    stealth: organization === undefined,
    userSelectable: model.userSelectable ?? true,
    arenas: [],
  };
  const name = nonEmpty(model.name);
  const displayName = nonEmpty(model.displayName);
  if (name !== undefined) result.name = name;
  if (displayName !== undefined) result.displayName = displayName;
  if (organization !== undefined) result.organization = organization;
  if (model.provider !== undefined) result.provider = model.provider;
  return result;
}

function capabilitiesOf(input: Record<string, unknown>, output: Record<string, unknown>): ModelCapabilities {
  const image = input.image;
  return {
    inputText: Boolean(input.text),
    inputImage: Boolean(image),
    inputFile: Boolean(input.file),
    singleImageOnly: typeof image === 'object' && image !== null && (image as Record<string, unknown>).multipleImages === false,
    outputText: Boolean(output.text),
    outputImage: Boolean(output.image),
    outputSearch: Boolean(output.search),
    outputVideo: Boolean(output.video),
    outputWeb: Boolean(output.web),
  };
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value === undefined || value === null || value.trim() === '' ? undefined : value;
}
