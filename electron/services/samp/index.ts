/** The samp domain service: implements `sampMethods` of the contract. */
import type { sampMethods } from '../../../shared/contract/samp';
import type { DomainService, ServiceContext } from '../context';

export function createSampService(_ctx: ServiceContext): DomainService<typeof sampMethods> {
  return { handlers: {} };
}
