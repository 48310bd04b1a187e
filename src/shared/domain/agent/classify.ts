/**
 * Whether the agent may run a tool as a read or must wait for a person: the ONE place that
 * decides. It asks the capability layer (shared/upstream/tool-access.ts over the capability
 * catalog): a listed tool is classified by the capability it serves, matched by resource + method,
 * so a read Truto lists under another name (`create_a_gong_calls_transcript` renamed, Gong's POST
 * reads) is still a read; a tool no capability knows is a write. A bare name (no resource/method at
 * hand) is classified by the catalog's known names. The write guard stays independent of it: even
 * a wrong answer here cannot make a read job write (write-safety.test.ts injects a wrong classifier
 * to prove it).
 */
import { toolAccess, type ToolAccess, type TrutoTool } from '../../upstream/index.ts';

export type ToolClassifier = (tool: Pick<TrutoTool, 'name'> & Partial<TrutoTool>) => ToolAccess;

export const classifyTool: ToolClassifier = (tool) =>
  toolAccess(tool.resource !== undefined && tool.method !== undefined ? { name: tool.name, resource: tool.resource, method: tool.method } : tool.name);
