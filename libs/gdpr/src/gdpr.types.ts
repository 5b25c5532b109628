/** GDPR's vocabulary, for its entities, DTOs and other features (which never see the entities). */
export enum ConsentPurpose {
  Necessary = 'necessary',
  Analytics = 'analytics',
  Marketing = 'marketing',
  Preferences = 'preferences',
}

export const consentPurposes = Object.values(ConsentPurpose);

/** What a lead, fan or subscriber agreed to, as the workspace recorded it. */
export enum SubjectConsentPurpose {
  MarketingEmail = 'marketing_email',
  AiProcessing = 'ai_processing',
}

/** How the choice reached Crescendo. */
export enum SubjectConsentSource {
  Manual = 'manual',
  Import = 'import',
}
