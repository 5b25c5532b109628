import { classifyIntent, Intent } from './intent-classifier';

describe('classifyIntent', () => {
  it.each([
    ['Hey there!', Intent.Greeting],
    ['Bonjour ma belle', Intent.Greeting],
    ['How much is the VIP tier?', Intent.Pricing],
    ['Quel est le PRIX ?', Intent.Pricing],
    ['Can you send me a new video?', Intent.ContentRequest],
    ['Tu peux m’envoyer une vidéo ?', Intent.ContentRequest],
    ['I want a refund, this is a scam', Intent.Complaint],
    ['Très déçu, arnaque', Intent.Complaint],
    ['ok bye, see you tomorrow', Intent.Farewell],
    ['Bonne nuit', Intent.Farewell],
    ['The weather is nice', null],
    ['this thing', null],
  ])('%s → %s', (text, intent) => {
    expect(classifyIntent(text)).toBe(intent);
  });

  it('the intent with the most keyword hits wins over the first one met', () => {
    expect(classifyIntent('hi, how much is it, what is the price and any discount?')).toBe(Intent.Pricing);
  });

  it('a tie goes to the higher intent: complaint before greeting', () => {
    expect(classifyIntent('hello, I want a refund')).toBe(Intent.Complaint);
  });
});
