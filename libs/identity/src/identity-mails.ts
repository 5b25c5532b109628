import { type Catalogue, type Language, Role } from '@crescendo/platform';

/** A mail's subject and text. */
export interface MailText {
  subject: string;
  text: string;
}

export interface PasswordResetMail {
  name: string;
  link: string;
  token: string;
}

export interface InvitationMail {
  /** Only when the inviter gave a name. */
  greeting?: string;
  workspaceName: string;
  role: Role;
  link: string;
  token: string;
}

interface IdentityMailTexts {
  passwordReset: (p: PasswordResetMail) => MailText;
  invitation: (p: InvitationMail) => MailText;
  /** As the SPA names them (domain.roles). */
  roles: Record<Role, string>;
}

const en: IdentityMailTexts = {
  passwordReset: (p) => ({
    subject: 'Reset your Crescendo password',
    text:
      `Hello ${p.name},\n\nTo choose a new password, open this link within one hour:\n${p.link}\n\n` +
      `Reset token: ${p.token}\n\nIf you did not ask for this, ignore this e-mail.`,
  }),
  invitation: (p) => ({
    subject: `You are invited to ${p.workspaceName} on Crescendo`,
    text:
      `Hello${p.greeting ? ` ${p.greeting}` : ''},\n\nYou have been invited to join ${p.workspaceName} on ` +
      `Crescendo with the ${en.roles[p.role]} role. Nothing changes until you accept.\nTo accept (or to set up your account if ` +
      `you have none yet), open this link within 7 days:\n${p.link}\n\nInvitation token: ${p.token}\n\n` +
      `If you did not expect this, ignore this e-mail.\n`,
  }),
  roles: { owner: 'Owner', admin: 'Administrator', member: 'Member', viewer: 'Viewer' },
};

const fr: IdentityMailTexts = {
  passwordReset: (p) => ({
    subject: 'Réinitialisez votre mot de passe Crescendo',
    text:
      `Bonjour ${p.name},\n\nPour choisir un nouveau mot de passe, ouvrez ce lien dans l’heure :\n${p.link}\n\n` +
      `Jeton de réinitialisation : ${p.token}\n\nSi vous n’avez rien demandé, ignorez cet e-mail.`,
  }),
  invitation: (p) => ({
    subject: `Vous êtes invité à rejoindre ${p.workspaceName} sur Crescendo`,
    text:
      `Bonjour${p.greeting ? ` ${p.greeting}` : ''},\n\nVous êtes invité à rejoindre ${p.workspaceName} sur ` +
      `Crescendo avec le rôle « ${fr.roles[p.role]} ». Rien ne change tant que vous n’avez pas accepté.\nPour accepter ` +
      `(ou créer votre compte si vous n’en avez pas encore), ouvrez ce lien dans les 7 jours :\n${p.link}\n\n` +
      `Jeton d’invitation : ${p.token}\n\nSi vous ne vous y attendiez pas, ignorez cet e-mail.\n`,
  }),
  roles: { owner: 'Propriétaire', admin: 'Administrateur', member: 'Membre', viewer: 'Lecteur' },
};

/** The e-mails identity sends, per language. */
export const IDENTITY_MAILS: Catalogue<IdentityMailTexts> = { en, fr };

export const identityMails = (language: Language): IdentityMailTexts => IDENTITY_MAILS[language];
