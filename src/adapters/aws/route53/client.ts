import { Route53Client } from '@aws-sdk/client-route-53';
import { cachedClient, clientSettings, type AwsScope } from '../clients';

export function route53Client(scope: AwsScope): Route53Client {
  return cachedClient('route53', clientSettings(scope, 'ROUTE_53'), (settings) => new Route53Client(settings));
}
