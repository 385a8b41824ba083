// ConnectWise Manage's published models, as generated from its OpenAPI by the
// connectwise-rest package. Type-only: nothing of connectwise-rest is bundled.
import type { components } from 'connectwise-rest/dist/ManageTypes.js';

export type CwSchemas = components['schemas'];
export type CwUnpostedInvoice = CwSchemas['UnpostedInvoice'];
export type CwGLExport = CwSchemas['GLExport'];
export type CwGLExportTransaction = CwSchemas['GLExportTransaction'];
export type CwGLExportTransactionDetail = CwSchemas['GLExportTransactionDetail'];
export type CwGLExportCustomer = CwSchemas['GLExportCustomer'];
export type CwExportAccountingBatchRequest = CwSchemas['ExportAccountingBatchRequest'];
export type CwCreateAccountingBatchRequest = CwSchemas['CreateAccountingBatchRequest'];
export type CwAccountingBatch = CwSchemas['AccountingBatch'];
export type CwBatchEntry = CwSchemas['BatchEntry'];
export type CwInvoice = CwSchemas['Invoice'];
export type CwPayment = CwSchemas['Payment'];
export type CwCompany = CwSchemas['Company'];
export type CwContact = CwSchemas['Contact'];
export type CwMember = CwSchemas['Member'];
export type CwLocation = CwSchemas['Location'];
export type CwSystemInfo = CwSchemas['Info'];
export type CwHostedSetup = CwSchemas['ConnectWiseHostedSetup'];
export type CwHostedScreen = CwSchemas['ConnectWiseHostedScreen'];
export type CwExpenseReport = CwSchemas['ExpenseReport'];
export type CwExpenseEntry = CwSchemas['ExpenseEntry'];
export type CwExpenseType = CwSchemas['ExpenseType'];
export type CwPaymentType = CwSchemas['PaymentType'];
export type CwExpenseClassification = CwSchemas['Classification'];
export type CwExpenseTaxTypeInfo = CwSchemas['ExpenseTaxTypeInfo'];
export type CwUnpostedExpense = CwSchemas['UnpostedExpense'];
export type CwGLExportExpense = CwSchemas['GLExportExpense'];
export type CwGLExportExpenseBill = CwSchemas['GLExportExpenseBill'];
export type CwGLExportExpenseBillDetail = CwSchemas['GLExportExpenseBillDetail'];
export type CwGLExportVendor = CwSchemas['GLExportVendor'];
export type CwTimeSheetTierUpdate = CwSchemas['TimeSheetTierUpdate'];
export type CwSuccessResponse = CwSchemas['SuccessResponse'];
/** ConnectWise's error body: `{code, message, errors:[{code, message, resource, field}]}`. */
export interface CwErrorBody {
  code: string;
  message: string;
  errors?: { code: string; message: string; resource: string; field: string }[];
}
