export interface paths {
    "/query/v1/suiteql": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a SuiteQL query; limit and offset go in the URL, offset a multiple of limit */
        post: operations["suiteql"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/async/v1/job/{jobId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                jobId: components["parameters"]["jobId"];
            };
            cookie?: never;
        };
        /** The state of an asynchronous request */
        get: operations["getAsyncJob"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/async/v1/job/{jobId}/task": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                jobId: components["parameters"]["jobId"];
            };
            cookie?: never;
        };
        /** The tasks of an asynchronous job */
        get: operations["listAsyncTasks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/async/v1/job/{jobId}/task/{taskId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                jobId: components["parameters"]["jobId"];
                taskId: string;
            };
            cookie?: never;
        };
        /** One task of an asynchronous job */
        get: operations["getAsyncTask"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/async/v1/job/{jobId}/task/{taskId}/result": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                jobId: components["parameters"]["jobId"];
                taskId: string;
            };
            cookie?: never;
        };
        /** The result of one task; a created record answers 204 with its Location */
        get: operations["getAsyncTaskResult"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/oauth2/v1/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** OAuth 2.0 client credentials grant with a JWT client assertion */
        post: operations["oauth2Token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/system/v1/governanceLimits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's and this integration's concurrency limits (administrators only) */
        get: operations["getGovernanceLimits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/metadata-catalog": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's own OpenAPI 3.0.1 description of the selected records (custom fields included) */
        get: operations["getMetadataCatalog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/customer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List customer records (ids and links only) */
        get: operations["list_customer"];
        put?: never;
        /** Create a customer; 204 with the new record URL in Location (or 202 with Prefer respond-async) */
        post: operations["create_customer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/customer/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        /** Get one customer */
        get: operations["get_customer"];
        put?: never;
        post?: never;
        /** Delete a customer */
        delete: operations["delete_customer"];
        options?: never;
        head?: never;
        /** Update a customer; sublists named in replace are replaced, others merged */
        patch: operations["update_customer"];
        trace?: never;
    };
    "/record/v1/customer/eid:{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        /** Get one customer by external id */
        get: operations["getByExternalId_customer"];
        /** Create or update the customer with this external id (upsert) */
        put: operations["upsert_customer"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/contact": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List contact records (ids and links only) */
        get: operations["list_contact"];
        put?: never;
        /** Create a contact; 204 with the new record URL in Location (or 202 with Prefer respond-async) */
        post: operations["create_contact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/contact/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        /** Get one contact */
        get: operations["get_contact"];
        put?: never;
        post?: never;
        /** Delete a contact */
        delete: operations["delete_contact"];
        options?: never;
        head?: never;
        /** Update a contact; sublists named in replace are replaced, others merged */
        patch: operations["update_contact"];
        trace?: never;
    };
    "/record/v1/contact/eid:{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        /** Get one contact by external id */
        get: operations["getByExternalId_contact"];
        /** Create or update the contact with this external id (upsert) */
        put: operations["upsert_contact"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/salesOrder": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List salesOrder records (ids and links only) */
        get: operations["list_salesOrder"];
        put?: never;
        /** Create a salesOrder; 204 with the new record URL in Location (or 202 with Prefer respond-async) */
        post: operations["create_salesOrder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/salesOrder/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        /** Get one salesOrder */
        get: operations["get_salesOrder"];
        put?: never;
        post?: never;
        /** Delete a salesOrder */
        delete: operations["delete_salesOrder"];
        options?: never;
        head?: never;
        /** Update a salesOrder; sublists named in replace are replaced, others merged */
        patch: operations["update_salesOrder"];
        trace?: never;
    };
    "/record/v1/salesOrder/eid:{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        /** Get one salesOrder by external id */
        get: operations["getByExternalId_salesOrder"];
        /** Create or update the salesOrder with this external id (upsert) */
        put: operations["upsert_salesOrder"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/itemFulfillment": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List itemFulfillment records (ids and links only) */
        get: operations["list_itemFulfillment"];
        put?: never;
        /** Create a itemFulfillment; 204 with the new record URL in Location (or 202 with Prefer respond-async) */
        post: operations["create_itemFulfillment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/itemFulfillment/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        /** Get one itemFulfillment */
        get: operations["get_itemFulfillment"];
        put?: never;
        post?: never;
        /** Delete a itemFulfillment */
        delete: operations["delete_itemFulfillment"];
        options?: never;
        head?: never;
        /** Update a itemFulfillment; sublists named in replace are replaced, others merged */
        patch: operations["update_itemFulfillment"];
        trace?: never;
    };
    "/record/v1/itemFulfillment/eid:{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        /** Get one itemFulfillment by external id */
        get: operations["getByExternalId_itemFulfillment"];
        /** Create or update the itemFulfillment with this external id (upsert) */
        put: operations["upsert_itemFulfillment"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/invoice": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List invoice records (ids and links only) */
        get: operations["list_invoice"];
        put?: never;
        /** Create a invoice; 204 with the new record URL in Location (or 202 with Prefer respond-async) */
        post: operations["create_invoice"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/invoice/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        /** Get one invoice */
        get: operations["get_invoice"];
        put?: never;
        post?: never;
        /** Delete a invoice */
        delete: operations["delete_invoice"];
        options?: never;
        head?: never;
        /** Update a invoice; sublists named in replace are replaced, others merged */
        patch: operations["update_invoice"];
        trace?: never;
    };
    "/record/v1/invoice/eid:{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        /** Get one invoice by external id */
        get: operations["getByExternalId_invoice"];
        /** Create or update the invoice with this external id (upsert) */
        put: operations["upsert_invoice"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/creditMemo": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List creditMemo records (ids and links only) */
        get: operations["list_creditMemo"];
        put?: never;
        /** Create a creditMemo; 204 with the new record URL in Location (or 202 with Prefer respond-async) */
        post: operations["create_creditMemo"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/creditMemo/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        /** Get one creditMemo */
        get: operations["get_creditMemo"];
        put?: never;
        post?: never;
        /** Delete a creditMemo */
        delete: operations["delete_creditMemo"];
        options?: never;
        head?: never;
        /** Update a creditMemo; sublists named in replace are replaced, others merged */
        patch: operations["update_creditMemo"];
        trace?: never;
    };
    "/record/v1/creditMemo/eid:{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        /** Get one creditMemo by external id */
        get: operations["getByExternalId_creditMemo"];
        /** Create or update the creditMemo with this external id (upsert) */
        put: operations["upsert_creditMemo"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/returnAuthorization": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List returnAuthorization records (ids and links only) */
        get: operations["list_returnAuthorization"];
        put?: never;
        /** Create a returnAuthorization; 204 with the new record URL in Location (or 202 with Prefer respond-async) */
        post: operations["create_returnAuthorization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/returnAuthorization/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        /** Get one returnAuthorization */
        get: operations["get_returnAuthorization"];
        put?: never;
        post?: never;
        /** Delete a returnAuthorization */
        delete: operations["delete_returnAuthorization"];
        options?: never;
        head?: never;
        /** Update a returnAuthorization; sublists named in replace are replaced, others merged */
        patch: operations["update_returnAuthorization"];
        trace?: never;
    };
    "/record/v1/returnAuthorization/eid:{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        /** Get one returnAuthorization by external id */
        get: operations["getByExternalId_returnAuthorization"];
        /** Create or update the returnAuthorization with this external id (upsert) */
        put: operations["upsert_returnAuthorization"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/inventoryItem": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List inventoryItem records (ids and links only) */
        get: operations["list_inventoryItem"];
        put?: never;
        /** Create a inventoryItem; 204 with the new record URL in Location (or 202 with Prefer respond-async) */
        post: operations["create_inventoryItem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/inventoryItem/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        /** Get one inventoryItem */
        get: operations["get_inventoryItem"];
        put?: never;
        post?: never;
        /** Delete a inventoryItem */
        delete: operations["delete_inventoryItem"];
        options?: never;
        head?: never;
        /** Update a inventoryItem; sublists named in replace are replaced, others merged */
        patch: operations["update_inventoryItem"];
        trace?: never;
    };
    "/record/v1/inventoryItem/eid:{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        /** Get one inventoryItem by external id */
        get: operations["getByExternalId_inventoryItem"];
        /** Create or update the inventoryItem with this external id (upsert) */
        put: operations["upsert_inventoryItem"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/location": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List location records (ids and links only) */
        get: operations["list_location"];
        put?: never;
        /** Create a location; 204 with the new record URL in Location (or 202 with Prefer respond-async) */
        post: operations["create_location"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/location/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        /** Get one location */
        get: operations["get_location"];
        put?: never;
        post?: never;
        /** Delete a location */
        delete: operations["delete_location"];
        options?: never;
        head?: never;
        /** Update a location; sublists named in replace are replaced, others merged */
        patch: operations["update_location"];
        trace?: never;
    };
    "/record/v1/location/eid:{externalId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        /** Get one location by external id */
        get: operations["getByExternalId_location"];
        /** Create or update the location with this external id (upsert) */
        put: operations["upsert_location"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/salesOrder/{id}/!transform/itemFulfillment": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Transform a sales order into a new itemFulfillment; 204 with the new record in Location */
        post: operations["transform_salesOrder_itemFulfillment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/record/v1/salesOrder/{id}/!transform/invoice": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Transform a sales order into a new invoice; 204 with the new record in Location */
        post: operations["transform_salesOrder_invoice"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Link: {
            rel: string;
            href: string;
        };
        Links: components["schemas"]["Link"][];
        /** @description A reference to another record. */
        Reference: {
            id?: string;
            refName?: string;
            externalId?: string;
            links?: components["schemas"]["Links"];
        } & {
            [key: string]: unknown;
        };
        EnumValue: {
            id?: string;
            refName?: string;
        };
        ErrorDetail: {
            detail: string;
            "o:errorCode"?: string;
            "o:errorPath"?: string;
            /** @description The URL path that failed, as live answers name it. */
            "o:errorUrl"?: string;
            /** @description The name Oracle's help gives the URL-path member. */
            "o:urlPath"?: string;
            "o:errorHeader"?: string;
            "o:errorQueryParam"?: string;
        } & {
            [key: string]: unknown;
        };
        Error: {
            type: string;
            title: string;
            status: number;
            "o:errorDetails": components["schemas"]["ErrorDetail"][];
        };
        RecordRef: {
            id: string;
            links?: components["schemas"]["Links"];
        };
        RecordList: {
            links?: components["schemas"]["Links"];
            count?: number;
            hasMore?: boolean;
            offset?: number;
            totalResults?: number;
            items: components["schemas"]["RecordRef"][];
        };
        SuiteqlRequest: {
            q: string;
        };
        /** @description One row; column names in lower case, values as strings, `links` per row. */
        SuiteqlRow: {
            links?: components["schemas"]["Links"];
        } & {
            [key: string]: unknown;
        };
        SuiteqlPage: {
            links?: components["schemas"]["Links"];
            count?: number;
            hasMore?: boolean;
            offset?: number;
            totalResults?: number;
            items: components["schemas"]["SuiteqlRow"][];
        };
        AsyncJob: {
            id: string;
            links?: components["schemas"]["Links"];
            completed?: boolean;
            /** @description `pending` until the job ran, then `succeeded` or `failed`. */
            progress?: string;
            /** @description Link to the job's tasks. */
            task?: {
                links?: components["schemas"]["Links"];
            };
        } & {
            [key: string]: unknown;
        };
        AsyncTaskList: {
            links?: components["schemas"]["Links"];
            count?: number;
            hasMore?: boolean;
            offset?: number;
            totalResults?: number;
            items: ({
                id?: string;
                links?: components["schemas"]["Links"];
            } & {
                [key: string]: unknown;
            })[];
        };
        AsyncTask: {
            id: string;
            links?: components["schemas"]["Links"];
            completed?: boolean;
            progress?: string;
            /** Format: date-time */
            startTime?: string;
            /** Format: date-time */
            endTime?: string;
        } & {
            [key: string]: unknown;
        };
        MetadataCatalogList: {
            items: {
                name: string;
                links: {
                    /** @description canonical, alternate or describes */
                    rel: string;
                    href: string;
                    mediaType?: string;
                }[];
            }[];
        };
        GovernanceLimits: {
            accountConcurrencyLimit: number;
            accountUnallocatedConcurrencyLimit?: number;
            integrationConcurrencyLimit?: number;
            /** @enum {string} */
            integrationLimitType: "integrationSpecific" | "accountLimit" | "internal";
        };
        TokenRequest: {
            /** @constant */
            grant_type: "client_credentials";
            /** @constant */
            client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
            client_assertion: string;
        };
        TokenResponse: {
            access_token: string;
            token_type: string;
            expires_in: number;
        };
        OAuthError: {
            error: string;
            error_description?: string;
        };
        ItemLine: {
            line?: number;
            item?: components["schemas"]["Reference"];
            itemType?: components["schemas"]["EnumValue"];
            quantity?: number;
            rate?: number;
            amount?: number;
            description?: string;
            location?: components["schemas"]["Reference"];
            isClosed?: boolean;
            links?: components["schemas"]["Links"];
        } & {
            [key: string]: unknown;
        };
        /** @description A sublist (for example `salesOrder-itemCollection`). */
        ItemSublist: {
            links?: components["schemas"]["Links"];
            items?: components["schemas"]["ItemLine"][];
        } & {
            [key: string]: unknown;
        };
        RecordBase: {
            readonly id?: string;
            externalId?: string;
            links?: components["schemas"]["Links"];
            /** Format: date-time */
            readonly lastModifiedDate?: string;
        } & {
            [key: string]: unknown;
        };
        Customer: components["schemas"]["RecordBase"] & {
            entityId?: string;
            companyName?: string;
            firstName?: string;
            lastName?: string;
            isPerson?: boolean;
            email?: string;
            phone?: string;
            isInactive?: boolean;
            subsidiary?: components["schemas"]["Reference"];
            currency?: components["schemas"]["Reference"];
            terms?: components["schemas"]["Reference"];
            entityStatus?: components["schemas"]["Reference"];
            /** @description Accounts receivable owed (read-only). */
            balance?: number;
            /** @description Orders entered but not yet billed (read-only). */
            unbilledOrders?: number;
            /** @description The part of the balance past due (read-only). */
            overdueBalance?: number;
            /** @description Days the oldest overdue invoice is past due (read-only). */
            daysOverdue?: number;
            creditLimit?: number;
            creditHoldOverride?: components["schemas"]["EnumValue"];
            parent?: components["schemas"]["Reference"];
            priceLevel?: components["schemas"]["Reference"];
            /** Format: date-time */
            dateCreated?: string;
        };
        Contact: components["schemas"]["RecordBase"] & {
            entityId?: string;
            firstName?: string;
            lastName?: string;
            email?: string;
            phone?: string;
            company?: components["schemas"]["Reference"];
            subsidiary?: components["schemas"]["Reference"];
        };
        TransactionBase: components["schemas"]["RecordBase"] & {
            tranId?: string;
            /** Format: date */
            tranDate?: string;
            entity?: components["schemas"]["Reference"];
            subsidiary?: components["schemas"]["Reference"];
            currency?: components["schemas"]["Reference"];
            status?: components["schemas"]["EnumValue"];
            memo?: string;
            total?: number;
            createdFrom?: components["schemas"]["Reference"];
            item?: components["schemas"]["ItemSublist"];
        };
        SalesOrder: components["schemas"]["TransactionBase"] & {
            otherRefNum?: string;
            orderStatus?: components["schemas"]["EnumValue"];
            /** Format: date */
            shipDate?: string;
            location?: components["schemas"]["Reference"];
        };
        ItemFulfillment: components["schemas"]["TransactionBase"] & {
            shipStatus?: components["schemas"]["EnumValue"];
        };
        Invoice: components["schemas"]["TransactionBase"] & {
            /** Format: date */
            dueDate?: string;
            amountRemaining?: number;
        };
        CreditMemo: components["schemas"]["TransactionBase"];
        ReturnAuthorization: components["schemas"]["TransactionBase"];
        InventoryItem: components["schemas"]["RecordBase"] & {
            itemId?: string;
            displayName?: string;
            upcCode?: string;
            itemType?: components["schemas"]["EnumValue"];
            basePrice?: number;
            cost?: number;
            averageCost?: number;
            isInactive?: boolean;
            quantityAvailable?: number;
            quantityOnHand?: number;
        };
        Location: components["schemas"]["RecordBase"] & {
            name?: string;
            fullName?: string;
            isInactive?: boolean;
            subsidiary?: components["schemas"]["Reference"];
            parent?: components["schemas"]["Reference"];
            locationType?: components["schemas"]["EnumValue"];
        };
    };
    responses: {
        /** @description Created or updated; the record URL is in Location and there is no body. */
        Created: {
            headers: {
                Location: components["headers"]["Location"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description Done; no body. */
        Updated: {
            headers: {
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description Accepted as an asynchronous job; its URL is in Location. */
        Accepted: {
            headers: {
                Location: components["headers"]["Location"];
                "Preference-Applied"?: "respond-async";
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description A NetSuite error. */
        Error: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/vnd.oracle.resource+json; type=error": components["schemas"]["Error"];
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /** @description Internal id of the record. */
        id: string;
        /** @description External id of the record (the path segment is `eid:<externalId>`). */
        externalId: string;
        jobId: string;
        /** @description Record filter, for example `email START_WITH "a"`. */
        q: string;
        /** @description Page size, 1 to 1000 (default 1000). */
        limit: number;
        /** @description Zero-based index of the first result; must be a multiple of limit. */
        offset: number;
        /** @description Comma-separated body fields to return. */
        fields: string;
        /** @description Inline sublists and subrecords instead of links. */
        expandSubResources: boolean;
        /** @description Comma-separated sublists to replace instead of merging. */
        replace: string;
        /** @description `respond-async` runs the request as an asynchronous job (202). */
        prefer: "respond-async";
        /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
        idempotencyKey: string;
    };
    requestBodies: never;
    headers: {
        /** @description URL of the created record (absolute), or path of the asynchronous job (`/services/rest/async/v1/job/{id}`, without scheme and host). */
        Location: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    suiteql: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 1000 (default 1000). */
                limit?: components["parameters"]["limit"];
                /** @description Zero-based index of the first result; must be a multiple of limit. */
                offset?: components["parameters"]["offset"];
            };
            header: {
                Prefer: "transient";
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SuiteqlRequest"];
            };
        };
        responses: {
            /** @description One page of rows. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SuiteqlPage"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    getAsyncJob: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                jobId: components["parameters"]["jobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The job. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AsyncJob"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    listAsyncTasks: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                jobId: components["parameters"]["jobId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Task references (each item carries its self link). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AsyncTaskList"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    getAsyncTask: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                jobId: components["parameters"]["jobId"];
                taskId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AsyncTask"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    getAsyncTaskResult: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                jobId: components["parameters"]["jobId"];
                taskId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The task result body (for reads and queries). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description The task wrote a record; its URL is in Location. */
            204: {
                headers: {
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Error"];
        };
    };
    oauth2Token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description An access token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            /** @description The assertion or grant was refused. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
            /** @description The assertion could not be verified. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OAuthError"];
                };
            };
        };
    };
    getGovernanceLimits: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The limits. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GovernanceLimits"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    getMetadataCatalog: {
        parameters: {
            query?: {
                /** @description Comma-separated record types (any case; the catalog names them in lower case). */
                select?: string;
            };
            header?: {
                Accept?: "application/swagger+json" | "application/schema+json" | "application/json";
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description With Accept application/swagger+json, the OpenAPI 3.0.1 document; otherwise the list of record types with links to each one's metadata. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/swagger+json": {
                        [key: string]: unknown;
                    };
                    "application/json": components["schemas"]["MetadataCatalogList"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    list_customer: {
        parameters: {
            query?: {
                /** @description Record filter, for example `email START_WITH "a"`. */
                q?: components["parameters"]["q"];
                /** @description Page size, 1 to 1000 (default 1000). */
                limit?: components["parameters"]["limit"];
                /** @description Zero-based index of the first result; must be a multiple of limit. */
                offset?: components["parameters"]["offset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of record references. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordList"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    create_customer: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Customer"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    get_customer: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    delete_customer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    update_customer: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Customer"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    getByExternalId_customer: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    upsert_customer: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Customer"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    list_contact: {
        parameters: {
            query?: {
                /** @description Record filter, for example `email START_WITH "a"`. */
                q?: components["parameters"]["q"];
                /** @description Page size, 1 to 1000 (default 1000). */
                limit?: components["parameters"]["limit"];
                /** @description Zero-based index of the first result; must be a multiple of limit. */
                offset?: components["parameters"]["offset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of record references. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordList"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    create_contact: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Contact"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    get_contact: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    delete_contact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    update_contact: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Contact"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    getByExternalId_contact: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    upsert_contact: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Contact"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    list_salesOrder: {
        parameters: {
            query?: {
                /** @description Record filter, for example `email START_WITH "a"`. */
                q?: components["parameters"]["q"];
                /** @description Page size, 1 to 1000 (default 1000). */
                limit?: components["parameters"]["limit"];
                /** @description Zero-based index of the first result; must be a multiple of limit. */
                offset?: components["parameters"]["offset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of record references. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordList"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    create_salesOrder: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SalesOrder"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    get_salesOrder: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SalesOrder"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    delete_salesOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    update_salesOrder: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SalesOrder"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    getByExternalId_salesOrder: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SalesOrder"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    upsert_salesOrder: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SalesOrder"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    list_itemFulfillment: {
        parameters: {
            query?: {
                /** @description Record filter, for example `email START_WITH "a"`. */
                q?: components["parameters"]["q"];
                /** @description Page size, 1 to 1000 (default 1000). */
                limit?: components["parameters"]["limit"];
                /** @description Zero-based index of the first result; must be a multiple of limit. */
                offset?: components["parameters"]["offset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of record references. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordList"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    create_itemFulfillment: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ItemFulfillment"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    get_itemFulfillment: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemFulfillment"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    delete_itemFulfillment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    update_itemFulfillment: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ItemFulfillment"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    getByExternalId_itemFulfillment: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ItemFulfillment"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    upsert_itemFulfillment: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ItemFulfillment"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    list_invoice: {
        parameters: {
            query?: {
                /** @description Record filter, for example `email START_WITH "a"`. */
                q?: components["parameters"]["q"];
                /** @description Page size, 1 to 1000 (default 1000). */
                limit?: components["parameters"]["limit"];
                /** @description Zero-based index of the first result; must be a multiple of limit. */
                offset?: components["parameters"]["offset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of record references. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordList"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    create_invoice: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Invoice"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    get_invoice: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invoice"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    delete_invoice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    update_invoice: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Invoice"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    getByExternalId_invoice: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Invoice"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    upsert_invoice: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Invoice"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    list_creditMemo: {
        parameters: {
            query?: {
                /** @description Record filter, for example `email START_WITH "a"`. */
                q?: components["parameters"]["q"];
                /** @description Page size, 1 to 1000 (default 1000). */
                limit?: components["parameters"]["limit"];
                /** @description Zero-based index of the first result; must be a multiple of limit. */
                offset?: components["parameters"]["offset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of record references. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordList"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    create_creditMemo: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreditMemo"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    get_creditMemo: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreditMemo"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    delete_creditMemo: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    update_creditMemo: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreditMemo"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    getByExternalId_creditMemo: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreditMemo"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    upsert_creditMemo: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreditMemo"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    list_returnAuthorization: {
        parameters: {
            query?: {
                /** @description Record filter, for example `email START_WITH "a"`. */
                q?: components["parameters"]["q"];
                /** @description Page size, 1 to 1000 (default 1000). */
                limit?: components["parameters"]["limit"];
                /** @description Zero-based index of the first result; must be a multiple of limit. */
                offset?: components["parameters"]["offset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of record references. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordList"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    create_returnAuthorization: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReturnAuthorization"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    get_returnAuthorization: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReturnAuthorization"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    delete_returnAuthorization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    update_returnAuthorization: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReturnAuthorization"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    getByExternalId_returnAuthorization: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReturnAuthorization"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    upsert_returnAuthorization: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReturnAuthorization"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    list_inventoryItem: {
        parameters: {
            query?: {
                /** @description Record filter, for example `email START_WITH "a"`. */
                q?: components["parameters"]["q"];
                /** @description Page size, 1 to 1000 (default 1000). */
                limit?: components["parameters"]["limit"];
                /** @description Zero-based index of the first result; must be a multiple of limit. */
                offset?: components["parameters"]["offset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of record references. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordList"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    create_inventoryItem: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InventoryItem"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    get_inventoryItem: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InventoryItem"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    delete_inventoryItem: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    update_inventoryItem: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InventoryItem"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    getByExternalId_inventoryItem: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InventoryItem"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    upsert_inventoryItem: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["InventoryItem"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    list_location: {
        parameters: {
            query?: {
                /** @description Record filter, for example `email START_WITH "a"`. */
                q?: components["parameters"]["q"];
                /** @description Page size, 1 to 1000 (default 1000). */
                limit?: components["parameters"]["limit"];
                /** @description Zero-based index of the first result; must be a multiple of limit. */
                offset?: components["parameters"]["offset"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of record references. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordList"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    create_location: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Location"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    get_location: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Location"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    delete_location: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    update_location: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Location"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Updated"];
            default: components["responses"]["Error"];
        };
    };
    getByExternalId_location: {
        parameters: {
            query?: {
                /** @description Comma-separated body fields to return. */
                fields?: components["parameters"]["fields"];
                /** @description Inline sublists and subrecords instead of links. */
                expandSubResources?: components["parameters"]["expandSubResources"];
            };
            header?: never;
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Location"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    upsert_location: {
        parameters: {
            query?: {
                /** @description Comma-separated sublists to replace instead of merging. */
                replace?: components["parameters"]["replace"];
            };
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description External id of the record (the path segment is `eid:<externalId>`). */
                externalId: components["parameters"]["externalId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Location"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    transform_salesOrder_itemFulfillment: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ItemFulfillment"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
    transform_salesOrder_invoice: {
        parameters: {
            query?: never;
            header?: {
                /** @description `respond-async` runs the request as an asynchronous job (202). */
                Prefer?: components["parameters"]["prefer"];
                /** @description A UUID per logical write; a repeat is answered 400 IDEMPOTENCY_ERROR with the earlier job in Location. */
                "X-NetSuite-Idempotency-Key"?: components["parameters"]["idempotencyKey"];
            };
            path: {
                /** @description Internal id of the record. */
                id: components["parameters"]["id"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["Invoice"];
            };
        };
        responses: {
            202: components["responses"]["Accepted"];
            204: components["responses"]["Created"];
            default: components["responses"]["Error"];
        };
    };
}
