import type { components } from '../../generated/schema.js';
import { MagentoFault, MESSAGES, notFoundEntity } from '../fault.js';
import { type Route, route } from '../router.js';
import type { CommerceEmulatorState, EmulatorCustomer } from '../state.js';
import { bodyField, intParam, optionalBody, search } from './common.js';

export function customerRoutes(state: CommerceEmulatorState, maxPageSize?: number): Route[] {
  const acl = 'Magento_Customer::manage';
  return [
    route(
      'POST',
      '/V1/customers',
      acl,
      (c) => {
        const customer = bodyField<Partial<EmulatorCustomer>>(c, 'customer');
        const password = optionalBody(c).password;
        if (password !== undefined && (typeof password !== 'string' || password.length < 8)) {
          throw new MagentoFault(
            400,
            'The password needs at least %1 characters. Create a new password and try again.',
            [8],
          );
        }
        return state.saveCustomer(
          customer,
          password === undefined ? {} : { password: password as string },
        );
      },
      'async.magento.customer.api.accountmanagementinterface.createaccount.post',
    ),
    route('GET', '/V1/customers/search', acl, (c) =>
      search(c, state.customers.values(), maxPageSize),
    ),
    route('GET', '/V1/customers/:customerId', acl, (c) =>
      state.getCustomer(intParam(c, 'customerId')),
    ),
    route(
      'PUT',
      '/V1/customers/:customerId',
      acl,
      (c) => {
        const id = intParam(c, 'customerId');
        const customer = bodyField<Partial<EmulatorCustomer>>(c, 'customer');
        if (customer.id !== undefined && Number(customer.id) !== id) {
          throw new MagentoFault(400, 'The customer email is missing. Enter and try again.');
        }
        return state.saveCustomer(customer, { id });
      },
      'async.magento.customer.api.customerrepositoryinterface.save.put',
    ),
    route('DELETE', '/V1/customers/:customerId', acl, (c) =>
      state.deleteCustomer(intParam(c, 'customerId')),
    ),
    route('POST', '/V1/customerGroups', 'Magento_Customer::group', (c) => {
      const group = bodyField<components['schemas']['CustomerGroup']>(c, 'group');
      if (!group?.code) throw new MagentoFault(400, MESSAGES.required, { fieldName: 'code' });
      for (const existing of state.customerGroups.values()) {
        if (existing.code.toLowerCase() === group.code.toLowerCase()) {
          throw new MagentoFault(400, 'Customer Group already exists.');
        }
      }
      const id = Math.max(...state.customerGroups.keys()) + 1;
      const saved = { tax_class_name: 'Retail Customer', ...group, id };
      state.customerGroups.set(id, saved);
      return saved;
    }),
    route('GET', '/V1/customerGroups/search', 'Magento_Customer::group', (c) =>
      search(c, state.customerGroups.values(), maxPageSize),
    ),
    route('GET', '/V1/customerGroups/:id', 'Magento_Customer::group', (c) => {
      const id = intParam(c, 'id');
      const group = state.customerGroups.get(id);
      if (!group) throw notFoundEntity('id', id);
      return group;
    }),
  ];
}
