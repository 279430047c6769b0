/** The SAMP feature: header indicator, screen, and the "Send to ASPRO2" action for other screens. */
export { SampStatus } from './SampStatus';
export { SampScreen } from './SampScreen';
export { SendToAspro2Button, SendToAspro2Modal, type SendToAspro2Props } from './SendToAspro2Modal';
export { useSampStatus } from './useSampStatus';
export { SendPlanToAspro2Button } from './SendPlanToAspro2';
