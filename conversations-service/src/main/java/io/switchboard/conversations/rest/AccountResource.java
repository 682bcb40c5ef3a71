package io.switchboard.conversations.rest;

import io.switchboard.conversations.domain.AccountView;
import io.switchboard.conversations.rest.dto.AccountCreated;
import io.switchboard.conversations.rest.dto.CreateAccountRequest;
import io.switchboard.conversations.rest.dto.UpdateAccountRequest;
import io.switchboard.conversations.security.CurrentCaller;
import io.switchboard.conversations.security.Roles;
import io.switchboard.conversations.service.DirectoryService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts")
public class AccountResource {

    @Inject
    DirectoryService directory;

    @Inject
    CurrentCaller caller;

    @POST
    @Path("/accounts")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Create an account (tenant) with its first admin agent", description = "Operators only.")
    public Response create(@NotNull @Valid CreateAccountRequest request) {
        AccountCreated created = directory.createAccount(caller.get(), request);
        return Response.created(URI.create("/api/v1/account")).entity(created).build();
    }

    @GET
    @Path("/account")
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN})
    @Operation(summary = "The caller's account")
    public AccountView get() {
        return directory.account(caller.get());
    }

    @PATCH
    @Path("/account")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Rename the account or change its time zone")
    public AccountView update(@NotNull @Valid UpdateAccountRequest request) {
        return directory.updateAccount(caller.get(), request);
    }
}
