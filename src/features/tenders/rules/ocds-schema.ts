/**
 * Lenient zod schemas for OCDS 1.1 releases: only the fields the tender alerts use are
 * described, every object keeps unknown fields, and optional fields accept `null`.
 * Identifiers may be strings or numbers (both occur in published data) and are read as
 * strings. Only `ocid` is required: a value that does not fit is dropped field by field
 * (`ocds-lenient.ts`), and a missing id, date or tag is made good when the release is
 * mapped. Extensions read: lots (with renewal), techniques (framework / DPS) and the UK
 * suitability extension (`suitability.sme`, `suitability.vcse`).
 */
import { z } from 'zod';

const text = z.string().nullish();
/** OCDS ids are strings, but some publishers emit numbers. */
const id = z.union([z.string(), z.number()]).transform(String);
/** Amounts are numbers; numeric strings are accepted because some publishers quote them. */
const amount = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, 'Expected a number')
    .transform(Number),
]);

/** A monetary value. Either part may be missing in published data. */
export const ValueSchema = z.looseObject({ amount: amount.nullish(), currency: text });

/** A period; dates are checked when mapped, not here, so that one bad date is a precise message. */
export const PeriodSchema = z.looseObject({
  startDate: text,
  endDate: text,
  maxExtentDate: text,
  durationInDays: z.number().nullish(),
});

/** A classification such as a CPV code. */
export const ClassificationSchema = z.looseObject({ scheme: text, id: id.nullish(), description: text, uri: text });

/** A line item of a tender or award. */
export const ItemSchema = z.looseObject({
  id: id.nullish(),
  description: text,
  classification: ClassificationSchema.nullish(),
  additionalClassifications: z.array(ClassificationSchema).nullish(),
  relatedLot: id.nullish(),
});

/** A published document (notice, clarifications…). */
export const DocumentSchema = z.looseObject({
  id: id.nullish(),
  documentType: text,
  title: text,
  url: text,
  datePublished: text,
});

/** A reference to an organization in `parties`. */
export const OrganizationReferenceSchema = z.looseObject({ id: id.nullish(), name: text });

/** An organization involved in the contracting process. */
export const PartySchema = z.looseObject({ id: id.nullish(), name: text, roles: z.array(z.string()).nullish() });

/** UK suitability extension. */
export const SuitabilitySchema = z.looseObject({ sme: z.boolean().nullish(), vcse: z.boolean().nullish() });

/** A lot (lots extension, with its renewal fields). */
export const LotSchema = z.looseObject({
  id: id.nullish(),
  title: text,
  description: text,
  status: text,
  value: ValueSchema.nullish(),
  suitability: SuitabilitySchema.nullish(),
  contractPeriod: PeriodSchema.nullish(),
  hasRenewal: z.boolean().nullish(),
  renewal: z.looseObject({ description: text, period: PeriodSchema.nullish() }).nullish(),
});

/** The tender section of a release. */
export const TenderSchema = z.looseObject({
  id: id.nullish(),
  title: text,
  description: text,
  status: text,
  value: ValueSchema.nullish(),
  minValue: ValueSchema.nullish(),
  procurementMethod: text,
  procurementMethodDetails: text,
  mainProcurementCategory: text,
  techniques: z
    .looseObject({
      hasFrameworkAgreement: z.boolean().nullish(),
      hasDynamicPurchasingSystem: z.boolean().nullish(),
      dynamicPurchasingSystem: z.looseObject({}).nullish(),
    })
    .nullish(),
  tenderPeriod: PeriodSchema.nullish(),
  contractPeriod: PeriodSchema.nullish(),
  datePublished: text,
  enquiryPeriod: PeriodSchema.nullish(),
  classification: ClassificationSchema.nullish(),
  additionalClassifications: z.array(ClassificationSchema).nullish(),
  items: z.array(ItemSchema).nullish(),
  lots: z.array(LotSchema).nullish(),
  documents: z.array(DocumentSchema).nullish(),
  suitability: SuitabilitySchema.nullish(),
  procuringEntity: OrganizationReferenceSchema.nullish(),
  amendments: z.array(z.looseObject({})).nullish(),
});

/** An award. */
export const AwardSchema = z.looseObject({
  id: id.nullish(),
  title: text,
  status: text,
  date: text,
  value: ValueSchema.nullish(),
  suppliers: z.array(OrganizationReferenceSchema).nullish(),
  documents: z.array(DocumentSchema).nullish(),
  contractPeriod: PeriodSchema.nullish(),
});

/** A contract (signed after an award). */
export const ContractSchema = z.looseObject({
  id: id.nullish(),
  awardID: id.nullish(),
  title: text,
  status: text,
  value: ValueSchema.nullish(),
  period: PeriodSchema.nullish(),
  documents: z.array(DocumentSchema).nullish(),
});

/** The planning section: a notice of a procurement to come. */
export const PlanningSchema = z.looseObject({
  budget: z.looseObject({ amount: ValueSchema.nullish(), description: text }).nullish(),
  documents: z.array(DocumentSchema).nullish(),
});

/** An OCDS release. Only `ocid` is required here; a lone tag string is accepted. */
export const ReleaseSchema = z.looseObject({
  ocid: z.string().trim().min(1),
  id: id.nullish(),
  date: text,
  tag: z.union([z.array(z.string()), z.string().transform((t) => [t])]).nullish(),
  initiationType: text,
  language: text,
  /** not in the standard, but some publishers title or describe the release itself */
  title: text,
  description: text,
  buyer: OrganizationReferenceSchema.nullish(),
  parties: z.array(PartySchema).nullish(),
  planning: PlanningSchema.nullish(),
  tender: TenderSchema.nullish(),
  awards: z.array(AwardSchema).nullish(),
  contracts: z.array(ContractSchema).nullish(),
});


/** A parsed release. */
export type Release = z.infer<typeof ReleaseSchema>;
/** A parsed tender section. */
export type ReleaseTender = z.infer<typeof TenderSchema>;
/** A parsed value. */
export type ReleaseValue = z.infer<typeof ValueSchema>;

/** The OCDS 1.1 release tag codelist. */
export const RELEASE_TAGS: readonly string[] = [
  'planning',
  'planningUpdate',
  'tender',
  'tenderAmendment',
  'tenderUpdate',
  'tenderCancellation',
  'award',
  'awardUpdate',
  'awardCancellation',
  'contract',
  'contractUpdate',
  'contractAmendment',
  'implementation',
  'implementationUpdate',
  'contractTermination',
  'compiled',
];
