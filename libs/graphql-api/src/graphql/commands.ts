// Writes go through the CommandBus: one handler loads the stream, folds, decides and appends
// (with retries on concurrent writes), so resolvers only authorize and map.
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  handleCommand,
  type CommandContext,
  type CommandOutcome,
  type Decider,
  type DomainEvent,
  type HandleCommandOptions,
} from '@rampart/event-sourcing';
import { RUNTIME, type ApiRuntime } from '../runtime';

export class DecideCommand<C = unknown, S = unknown, E extends DomainEvent = DomainEvent> {
  constructor(
    readonly decider: Decider<C, S, E>,
    readonly streamId: string,
    readonly command: C,
    readonly context: CommandContext,
    readonly options: HandleCommandOptions = {},
  ) {}
}

@CommandHandler(DecideCommand)
export class DecideCommandHandler implements ICommandHandler<DecideCommand, CommandOutcome<DomainEvent>> {
  constructor(@Inject(RUNTIME) private readonly runtime: ApiRuntime) {}

  execute(cmd: DecideCommand): Promise<CommandOutcome<DomainEvent>> {
    return handleCommand(this.runtime.stores.eventStore, cmd.decider, cmd.streamId, cmd.command, cmd.context, cmd.options);
  }
}
