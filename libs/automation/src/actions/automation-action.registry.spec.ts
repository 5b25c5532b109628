import { AutomationActionType } from '../automation.types';
import type { ActionContext, AutomationActionHandler } from './automation-action';
import { AutomationActionRegistry } from './automation-action.registry';

const types = Object.values(AutomationActionType);
const handler = (type: AutomationActionType): AutomationActionHandler => ({
  type,
  perform: async () => ({ type, outcome: 'done', detail: `by ${type}` }),
});
const ctxOf = (type: AutomationActionType) => ({ action: { type } }) as unknown as ActionContext;

describe('AutomationActionRegistry', () => {
  it('performs each action with the handler registered for its type', async () => {
    const registry = new AutomationActionRegistry(types.map(handler));
    for (const type of types) {
      await expect(registry.perform(ctxOf(type))).resolves.toEqual({ type, outcome: 'done', detail: `by ${type}` });
    }
  });

  it('refuses an action type without a handler', () => {
    const handlers = types.filter((t) => t !== AutomationActionType.Notify).map(handler);
    expect(() => new AutomationActionRegistry(handlers)).toThrow('No automation action handler for notify');
  });

  it('refuses two handlers for one type', () => {
    expect(() => new AutomationActionRegistry([...types.map(handler), handler(AutomationActionType.AddTag)])).toThrow(
      'Two automation action handlers for add_tag',
    );
  });
});
