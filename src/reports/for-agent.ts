/**
 * A summarize or autopsy report as an agent's built-in tool returns it to the model: the parts a
 * model answers from (headline, cited sections, the deal, its tasks and brief, which calls were
 * covered) without the appendix's links or the token statistics, so it costs less context.
 */
import type { RunReport } from './model.ts';

export function reportForAgent(r: RunReport) {
  const section = (points: RunReport['sections']['objections']) =>
    points.map((p) => ({ point: p.point, citations: p.citations.map((c) => ({ callId: c.callId, timestamp: c.timestamp, quote: c.quote })) }));
  return {
    kind: r.kind,
    subject: r.subject,
    window: r.window,
    ...(r.deal ? { deal: r.deal } : {}),
    headline: r.headline,
    overallSentiment: r.overallSentiment,
    sections: {
      objections: section(r.sections.objections),
      risks: section(r.sections.risks),
      competitors: section(r.sections.competitors),
      pricing: section(r.sections.pricing),
      nextSteps: section(r.sections.nextSteps),
    },
    ...(r.tasks ? { tasks: r.tasks } : {}),
    ...(r.brief ? { brief: r.brief } : {}),
    calls: r.calls.map((c) => ({ callId: c.callId, title: c.title, started: c.started, status: c.status, ...(c.reason ? { reason: c.reason } : {}) })),
    stats: { callsConsidered: r.stats.callsConsidered, missing: r.stats.missing },
  };
}
