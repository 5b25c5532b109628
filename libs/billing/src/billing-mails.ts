import { type Catalogue, type Language } from '@crescendo/platform';

export interface PaymentFailedMail {
  name: string;
  /** Already written in the reader's language (formatMoney). */
  amount: string;
  link: string;
}

interface BillingMailTexts {
  paymentFailed: (p: PaymentFailedMail) => { subject: string; text: string };
}

const en: BillingMailTexts = {
  paymentFailed: (p) => ({
    subject: 'Your Crescendo payment failed',
    text:
      `Hello ${p.name},\n\nThe payment of ${p.amount} for your Crescendo subscription failed. ` +
      `Stripe will try again; to keep your plan, update your payment method: ${p.link}\n`,
  }),
};

const fr: BillingMailTexts = {
  paymentFailed: (p) => ({
    subject: 'Votre paiement Crescendo a échoué',
    text:
      `Bonjour ${p.name},\n\nLe paiement de ${p.amount} pour votre abonnement Crescendo a échoué. ` +
      `Stripe va réessayer ; pour garder votre offre, mettez à jour votre moyen de paiement : ${p.link}\n`,
  }),
};

/** The e-mails billing sends, per language. */
export const BILLING_MAILS: Catalogue<BillingMailTexts> = { en, fr };

export const billingMails = (language: Language): BillingMailTexts => BILLING_MAILS[language];
