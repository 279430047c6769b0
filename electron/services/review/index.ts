/** The review domain service: implements `reviewMethods` of the contract. */
import type { reviewMethods } from '../../../shared/contract/review';
import type { DomainService, ServiceContext } from '../context';

export function createReviewService(_ctx: ServiceContext): DomainService<typeof reviewMethods> {
  return { handlers: {} };
}
