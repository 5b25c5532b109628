/** Static vocabulary the demo seed draws from (English, realistic-looking, all fictitious). */
export const DEMO_SEED = 20_261_123;
export const DEMO_EMAIL = 'demo@crescendo.local';
export const DEMO_NAME = 'Demo Creator';
export const DEMO_CURRENCY = 'USD';

export const firstNames = [
  'Emma',
  'Liam',
  'Olivia',
  'Noah',
  'Ava',
  'Lucas',
  'Mia',
  'Hugo',
  'Chloe',
  'Leo',
  'Zoe',
  'Arthur',
  'Lina',
  'Nathan',
  'Sofia',
  'Adam',
  'Jade',
  'Ethan',
  'Alice',
  'Louis',
  'Ines',
  'Gabriel',
  'Lea',
  'Jules',
  'Sarah',
  'Tom',
  'Camille',
  'Paul',
  'Manon',
  'Victor',
];
export const lastNames = [
  'Martin',
  'Bernard',
  'Dubois',
  'Thomas',
  'Robert',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'Roux',
  'Fournier',
  'Girard',
  'Bonnet',
  'Dupont',
  'Lambert',
  'Fontaine',
  'Rousseau',
  'Vincent',
  'Muller',
  'Chevalier',
];
export const companies = [
  'Acme Analytics',
  'Brightlane',
  'Cobalt Labs',
  'Driftwood Media',
  'Evergreen Fitness',
  'Foxglove Studio',
  'Granite Realty',
  'Harbor Goods',
  'Ironleaf Software',
  'Juniper Health',
  'Keystone Homes',
  'Lumen Apparel',
  'Maple & Co',
  'Northwind Coaching',
  'Orbit Commerce',
  'Pinecrest Partners',
  'Quartz Creative',
  'Riverbend SaaS',
];
export const jobTitles = ['Founder', 'CEO', 'Head of Growth', 'Marketing Manager', 'Coach', 'Agent', 'Creator', 'COO'];
export const sources = ['linkedin', 'website', 'referral', 'instagram', 'webinar', 'cold_email', 'tiktok'];
export const sourceWeights = {
  linkedin: 5,
  website: 4,
  referral: 2,
  instagram: 4,
  webinar: 2,
  cold_email: 3,
  tiktok: 2,
};
export const tags = ['vip', 'newsletter', 'hot', 'b2b', 'follow-up', 'trial', 'event-2026', 'partner'];
export const countries = ['FR', 'US', 'GB', 'DE', 'ES', 'CA', 'BE'];
export const budgets = ['<1k', '1k-5k', '5k-20k', '20k+'];

export const niches = [
  { name: 'SaaS founders', description: 'Founders of B2B software start-ups', keywords: ['saas', 'b2b', 'startup'] },
  { name: 'Fitness coaches', description: 'Independent coaches selling programs', keywords: ['fitness', 'coaching'] },
  { name: 'E-commerce brands', description: 'DTC shops on Shopify and co.', keywords: ['ecommerce', 'dtc', 'shopify'] },
  { name: 'Real estate agents', description: 'Agents and small agencies', keywords: ['real-estate', 'agents'] },
  { name: 'Content creators', description: 'Creators monetising an audience', keywords: ['creators', 'ugc'] },
];

export const fanHandles = [
  'moonlit_jay',
  'sunny.dee',
  'rocketfan',
  'velvet_rose',
  'kai_waves',
  'mister_b',
  'luna.loves',
  'northstar88',
  'pixelpete',
  'coco_bean',
  'jazzhands',
  'theo.k',
  'wildcat_ally',
  'dreamer_max',
  'sk8r_nina',
  'blue_orbit',
  'honeybadger',
  'frodo_fan',
  'zen_master',
  'aria.sky',
];

export const tiers = [
  { tier: 'Basic', monthlyPrice: 999 },
  { tier: 'VIP', monthlyPrice: 1999 },
  { tier: 'Premium', monthlyPrice: 4999 },
];

export const fanOpeners = [
  'Hi there! Just subscribed 😊',
  'hey! how much is the VIP tier?',
  'Love your last post, any new content this week?',
  'hello, I want a refund, the video did not load',
  'Good morning! Can you make a custom video?',
  'Thanks for everything, bye for now!',
];
export const memberReplies = [
  'Thank you so much for the support! 💕',
  'New set drops on Friday, stay tuned!',
  'Sure, send me the details and I will get back to you.',
  'Sorry about that, I will look into it right away.',
];
