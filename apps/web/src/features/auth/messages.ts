/** The invitation and password-reset pages' extra messages (mounted under "invitation"). */
export const en = {
  title: 'Join a workspace',
  noToken: 'This link has no invitation token.',
  joined: 'You joined {{workspace}} as {{role}}.',
  signIn: 'Sign in',
  hint: 'Nothing changes until you accept. New to Crescendo? Choose your name and password.',
  name: 'Your name (new account only)',
  password: 'Password (new account only)',
  joining: 'Joining…',
  accept: 'Accept the invitation',
  resetNoToken: 'This link has no token.',
  askNewLink: 'Ask for a new link',
};

export const fr: typeof en = {
  title: 'Rejoindre un espace de travail',
  noToken: 'Ce lien ne contient pas de jeton d’invitation.',
  joined: 'Vous avez rejoint {{workspace}} comme {{role}}.',
  signIn: 'Se connecter',
  hint: 'Rien ne change avant que vous acceptiez. Nouveau sur Crescendo ? Choisissez votre nom et votre mot de passe.',
  name: 'Votre nom (nouveau compte seulement)',
  password: 'Mot de passe (nouveau compte seulement)',
  joining: 'Connexion à l’espace…',
  accept: 'Accepter l’invitation',
  resetNoToken: 'Ce lien ne contient pas de jeton.',
  askNewLink: 'Demander un nouveau lien',
};
