/** The planner domain service: implements `plannerMethods` of the contract. */
import type { plannerMethods } from '../../../shared/contract/planner';
import type { DomainService, ServiceContext } from '../context';

export function createPlannerService(_ctx: ServiceContext): DomainService<typeof plannerMethods> {
  return { handlers: {} };
}
