import { type Catalogue, type Language } from '@crescendo/platform';

export interface ExportReadyMail {
  /** The export's job page (its signed download link is asked for there). */
  link: string;
  linkMinutes: number;
  keptDays: number;
}

interface GdprMailTexts {
  exportReady: (p: ExportReadyMail) => { subject: string; text: string };
}

const en: GdprMailTexts = {
  exportReady: (p) => ({
    subject: 'Your Crescendo data export is ready',
    text:
      `Your data export is ready. Open ${p.link} while signed in: its download link is valid for ` +
      `${p.linkMinutes.toLocaleString('en')} minutes each time you ask, and the file is kept ` +
      `${p.keptDays.toLocaleString('en')} days.`,
  }),
};

const fr: GdprMailTexts = {
  exportReady: (p) => ({
    subject: 'Votre export de données Crescendo est prêt',
    text:
      `Votre export de données est prêt. Ouvrez ${p.link} en étant connecté : son lien de téléchargement est ` +
      `valable ${p.linkMinutes.toLocaleString('fr')} minutes à chaque demande, et le fichier est conservé ` +
      `${p.keptDays.toLocaleString('fr')} jours.`,
  }),
};

/** The e-mails GDPR sends, per language. */
export const GDPR_MAILS: Catalogue<GdprMailTexts> = { en, fr };

export const gdprMails = (language: Language): GdprMailTexts => GDPR_MAILS[language];
