export const ATTRIBUTION_MODELS = ['first_touch', 'last_touch', 'linear'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

export interface Touch {
  leadId: string;
  /** The campaign or agent touched. */
  targetId: string;
  at: Date;
}

/**
 * Shares each lead's revenue among what touched it: all to the earliest touch, all to the latest, or equal
 * parts to each distinct target (linear). Answers revenue per target (fractions kept; round when presenting).
 */
export function attribute(
  revenueByLead: Map<string, number>,
  touches: Touch[],
  model: AttributionModel,
): Map<string, { revenue: number; leads: Set<string> }> {
  const byLead = new Map<string, Touch[]>();
  for (const touch of touches) byLead.set(touch.leadId, [...(byLead.get(touch.leadId) ?? []), touch]);
  const out = new Map<string, { revenue: number; leads: Set<string> }>();
  const credit = (targetId: string, leadId: string, amount: number) => {
    const entry = out.get(targetId) ?? { revenue: 0, leads: new Set<string>() };
    entry.revenue += amount;
    entry.leads.add(leadId);
    out.set(targetId, entry);
  };
  for (const [leadId, revenue] of revenueByLead) {
    const mine = (byLead.get(leadId) ?? []).sort(
      (a, b) => a.at.getTime() - b.at.getTime() || a.targetId.localeCompare(b.targetId),
    );
    if (!mine.length) continue;
    if (model === 'first_touch') credit(mine[0].targetId, leadId, revenue);
    else if (model === 'last_touch') credit(mine[mine.length - 1].targetId, leadId, revenue);
    else {
      const targets = [...new Set(mine.map((t) => t.targetId))];
      for (const target of targets) credit(target, leadId, revenue / targets.length);
    }
  }
  return out;
}
