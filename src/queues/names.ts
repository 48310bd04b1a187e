/**
 * Queues, by the kind of capacity they consume, so each can be sized and watched on its own:
 * - `upstream`: Truto/Gong calls (tool jobs, transcript batches); paced by the rate governor;
 * - `llm`: per-call map summaries; paced by the LLM side of the governor;
 * - `flows`: orchestration and fan-in (plans, aggregators, reports); cheap, never calls out much;
 * - `writes`: the only jobs allowed to use write tools (CRM uploads, status polls, task updates).
 * All queues share one hash-tagged prefix (e.g. `{gong-fleet}`), so every key lives in one Redis
 * Cluster slot and flows can link parents and children across queues.
 */
export const QUEUE_NAMES = ['upstream', 'llm', 'flows', 'writes'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}
