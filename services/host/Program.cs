using Kuberollouttrigger.Host;

return await ModeCommand.RunAsync(args);
