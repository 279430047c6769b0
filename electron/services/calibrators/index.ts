/** The calibrators domain service: implements `calibratorsMethods` of the contract. */
import type { calibratorsMethods } from '../../../shared/contract/calibrators';
import type { DomainService, ServiceContext } from '../context';

export function createCalibratorsService(_ctx: ServiceContext): DomainService<typeof calibratorsMethods> {
  return { handlers: {} };
}
