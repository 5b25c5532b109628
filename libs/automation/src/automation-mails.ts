import { type Catalogue, type Language } from '@crescendo/platform';

interface AutomationMailTexts {
  /** A notify e-mail's subject when the rule's author wrote none (a written subject is sent as written). */
  notifySubject: (ruleName: string) => string;
}

const en: AutomationMailTexts = {
  notifySubject: (ruleName) => `Automation: ${ruleName}`,
};

const fr: AutomationMailTexts = {
  notifySubject: (ruleName) => `Automatisation : ${ruleName}`,
};

/** The e-mails automation sends, per language. */
export const AUTOMATION_MAILS: Catalogue<AutomationMailTexts> = { en, fr };

export const automationMails = (language: Language): AutomationMailTexts => AUTOMATION_MAILS[language];
