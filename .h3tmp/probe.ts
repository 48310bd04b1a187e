import { zodResponseFormat } from 'openai/helpers/zod';
import { CallFindings, DealReport } from '../src/shared/llm/schemas.ts';
import { countTokens, encode, decode } from 'gpt-tokenizer/encoding/o200k_base';
console.log(JSON.stringify(zodResponseFormat(CallFindings, 'call_findings'), null, 1).slice(0, 3000));
console.log(countTokens('hello world'), countTokens(''));
try { console.log(countTokens('a <|endoftext|> b')); } catch (e) { console.log('throws', (e as Error).message); }
console.log(countTokens('a <|endoftext|> b', { disallowedSpecial: new Set() }));
