// GET /api/settings/expense-choices: what the settings pod's Expenses card
// offers in its Wise-Pay rows — ConnectWise's members and expense payment
// types, and each connected organisation's bank and credit-card accounts.
import { z } from 'zod';

export const expenseChoicesResponse = z.object({
  /** Active ConnectWise members, by name. */
  members: z.array(z.object({ identifier: z.string(), name: z.string() })),
  /** ConnectWise expense payment types; `companyPaid` ones (company cards) are what Wise-Pay pays. */
  paymentTypes: z.array(z.object({ id: z.number().int(), name: z.string(), companyPaid: z.boolean() })),
  /** Per connected organisation: its active BANK accounts (credit cards included), or why they could not be read. */
  organisations: z.array(
    z.object({
      xeroTenantId: z.string(),
      name: z.string(),
      accounts: z.array(z.object({ code: z.string(), name: z.string(), type: z.enum(['BANK', 'CREDITCARD']) })),
      error: z.string().nullable(),
    }),
  ),
});
export type ExpenseChoicesResponse = z.infer<typeof expenseChoicesResponse>;
export type ExpenseChoiceAccount = ExpenseChoicesResponse['organisations'][number]['accounts'][number];
