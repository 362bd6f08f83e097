export * from './events';
export * from './incident/incident';
export * from './actions/action';
export * from './playbooks/playbook';
export * from './correlation/correlation';
export * from './sla/sla';
export * from './alerts/external-alert';
export * from './read-models/read-models';
