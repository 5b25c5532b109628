import { foldText, keywordRegex } from './text-match';

/**
 * A small built-in intent classifier: keyword lists (English and French, matched as whole words,
 * case- and accent-insensitive). The intent with the most distinct keyword hits wins; a tie goes to
 * the first intent in `intents` order (a complaint outranks everything, a farewell nothing).
 * No hit → null. Deliberately simple and predictable: rules can rely on exactly these words.
 */
export enum Intent {
  Complaint = 'complaint',
  Pricing = 'pricing',
  ContentRequest = 'content_request',
  Greeting = 'greeting',
  Farewell = 'farewell',
}
export const intents = Object.values(Intent);

export const intentKeywords: Record<Intent, readonly string[]> = {
  [Intent.Complaint]: [
    'refund',
    'scam',
    'scammed',
    'disappointed',
    'unhappy',
    'not happy',
    'complaint',
    'complain',
    'problem',
    'issue',
    'broken',
    'not working',
    "doesn't work",
    'charged twice',
    'rip off',
    'ripoff',
    'waste of money',
    'remboursement',
    'rembourser',
    'arnaque',
    'decu',
    'decue',
    'probleme',
    'nul',
    'pas content',
    'pas contente',
  ],
  [Intent.Pricing]: [
    'price',
    'prices',
    'pricing',
    'cost',
    'costs',
    'how much',
    'rate',
    'rates',
    'fee',
    'discount',
    'promo',
    'deal',
    'tip menu',
    'prix',
    'tarif',
    'tarifs',
    'combien',
    'cher',
    'reduction',
  ],
  [Intent.ContentRequest]: [
    'pic',
    'pics',
    'picture',
    'pictures',
    'photo',
    'photos',
    'video',
    'videos',
    'vid',
    'vids',
    'custom',
    'content',
    'new post',
    'send me',
    'show me',
    'ppv',
    'exclusive',
    'contenu',
    'envoie',
    'envoie moi',
    'montre',
  ],
  [Intent.Greeting]: [
    'hi',
    'hello',
    'hey',
    'hiya',
    'yo',
    'good morning',
    'good afternoon',
    'good evening',
    'howdy',
    'bonjour',
    'salut',
    'coucou',
    'bonsoir',
    'hola',
  ],
  [Intent.Farewell]: [
    'bye',
    'goodbye',
    'see you',
    'see ya',
    'good night',
    'gn',
    'later',
    'ciao',
    'au revoir',
    'bonne nuit',
    'a plus',
    'a bientot',
    'bisous',
  ],
};

/** One whole-word regex per keyword, compiled once. */
const intentRegexes = Object.fromEntries(
  intents.map((intent) => [intent, intentKeywords[intent].map((k) => keywordRegex([k])!)]),
) as Record<Intent, RegExp[]>;

export function classifyIntent(text: string): Intent | null {
  const folded = foldText(text);
  let best: Intent | null = null;
  let bestHits = 0;
  for (const intent of intents) {
    const hits = intentRegexes[intent].filter((regex) => regex.test(folded)).length;
    if (hits > bestHits) [best, bestHits] = [intent, hits];
  }
  return best;
}
