using Aegis.Client;
using Aegis.Examples.Worker;

// Settings come from appsettings/environment: Aegis__Address, Aegis__TenantId (or Aegis__ApiKey), Aegis__ThreadId,
// Invoices__Ids ("1,2,3") and Invoices__Outbox (the file the "mail server" appends to).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddAegisClient(o => builder.Configuration.GetSection("Aegis").Bind(o));
builder.Services.AddHostedService<InvoiceWorker>();
builder.Build().Run();
