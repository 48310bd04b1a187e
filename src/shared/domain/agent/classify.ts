/**
 * Whether the agent may run a tool as a read or must wait for a person: the ONE place that
 * decides. Today it asks the fleet's tool table (shared/upstream/tool-access.ts: Gong's POST
 * reads such as `create_a_gong_calls_transcript` are known reads; updates, deletes and any tool
 * the table does not know are writes). When the capability layer (issue 10) lands, re-point this
 * function at it. The write guard stays independent of it: even a wrong answer here cannot make a
 * read job write (write-safety.test.ts injects a wrong classifier to prove it).
 */
import { toolAccess, type ToolAccess, type TrutoTool } from '../../upstream/index.ts';

export type ToolClassifier = (tool: Pick<TrutoTool, 'name'> & Partial<TrutoTool>) => ToolAccess;

export const classifyTool: ToolClassifier = (tool) => toolAccess(tool.name);
