/** The domain tier's own error class; the rest of the family lives in shared/platform/errors.ts. */
import { BadInputError } from '../platform/index.ts';

/** Thrown when the account's daily budget cannot cover a plan; nothing is enqueued. */
export class BudgetError extends BadInputError {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetError';
  }
}
